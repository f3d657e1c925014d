using AffectFuse.Data;
using System.Globalization;
using System.Text;
using AffectFuse.IO;

namespace AffectFuse.Reporting;

/// <summary>ABAW EXPR challenge submission files: the recent single CSV (<c>video/00001.jpg,label</c> for every frame)
/// and the older one-<c>.txt</c>-per-video annotation format.</summary>
internal static class AbawSubmission
{
    /// <summary>Header of the single-CSV format.</summary>
    public const string CsvHeader = "image_location,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other";

    /// <summary>The organisers' image name of a 0-based frame index: 1-based, at least 5 digits (<c>00001.jpg</c>).</summary>
    public static string ImageName(int frameIndex) => (frameIndex + 1).ToString("D5", CultureInfo.InvariantCulture) + ".jpg";

    /// <summary>Writes one CSV listing every frame of every video, in the order given.</summary>
    public static void WriteCsv(string path, IEnumerable<(string VideoId, IReadOnlyList<int> Labels)> videos)
    {
        var list = videos.ToList();
        foreach (var (videoId, labels) in list)
            CheckLabels(path, videoId, labels);
        AtomicFile.Write(path, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            w.WriteLine(CsvHeader);
            foreach (var (videoId, labels) in list)
            {
                for (int t = 0; t < labels.Count; t++)
                {
                    w.Write(videoId);
                    w.Write('/');
                    w.Write(ImageName(t));
                    w.Write(',');
                    w.WriteLine(labels[t].ToString(CultureInfo.InvariantCulture));
                }
            }
        });
    }

    /// <summary>Writes <c>&lt;folder&gt;/&lt;video&gt;.txt</c> in the annotation format (class-name header, one label per frame) and returns its path.</summary>
    public static string WriteTxt(string folder, string videoId, IReadOnlyList<int> labels)
    {
        string path = Path.Combine(folder, videoId + ".txt");
        CheckLabels(path, videoId, labels);
        ExprLabelFile.Write(path, labels);
        return path;
    }

    // A submission must give every frame a real class: -1 or anything outside 0..7 would be rejected by the organisers.
    private static void CheckLabels(string path, string videoId, IReadOnlyList<int> labels)
    {
        if (string.IsNullOrWhiteSpace(videoId) || videoId.IndexOfAny(['/', '\\', ',', '\n']) >= 0)
            throw new AffectFuseException(path, $"video id '{videoId}' cannot be written as an image location");
        for (int t = 0; t < labels.Count; t++)
            if (labels[t] < 0 || labels[t] >= ExpressionClasses.Count)
                throw new AffectFuseException(path, $"video {videoId} frame {t + 1} has label {labels[t]}; submissions need 0..7 for every frame");
    }
}
