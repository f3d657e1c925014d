namespace AffectFuse.Data;

/// <summary>A video's features with one label per feature frame (-1 where not annotated).</summary>
internal sealed record LabelledVideo(VideoFeatures Features, int[] Labels)
{
    /// <summary>The video identifier.</summary>
    public string VideoId => Features.VideoId;
}
