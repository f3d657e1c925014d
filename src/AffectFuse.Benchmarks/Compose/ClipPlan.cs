using System.Text.Json.Serialization;

namespace AffectFuse.Benchmarks.Compose;

/// <summary>How the face is missing during an absent span.</summary>
public enum AbsentKind
{
    /// <summary>The face has left the frame.</summary>
    OffFrame,
    /// <summary>Turned away: only a heavily blurred, dark silhouette remains.</summary>
    Silhouette,
    /// <summary>Turned side-on: the photograph squeezed to a sliver.</summary>
    Sliver,
    /// <summary>An opaque shape covers most of the face.</summary>
    Occluded,
}

/// <summary>A span of frames [<paramref name="StartFrame"/>, <paramref name="EndFrame"/>) without a usable face; the
/// labels keep the segment's class there, as Aff-Wild2 annotates expression from context.</summary>
public sealed record AbsentSpan(AbsentKind Kind, int StartFrame, int EndFrame);

/// <summary>An utterance placed at frames [<paramref name="StartFrame"/>, <paramref name="EndFrame"/>).</summary>
public sealed record UtterancePlan(string File, string Speaker, int StartFrame, int EndFrame);

/// <summary>An expression segment covering frames [<paramref name="StartFrame"/>, <paramref name="EndFrame"/>): one
/// face photograph and the utterances laid over it.</summary>
public sealed record SegmentPlan(int Class, int StartFrame, int EndFrame, string FaceImage, string FaceIdentity, IReadOnlyList<UtterancePlan> Utterances)
{
    /// <summary>The class name, for people reading the manifest.</summary>
    [JsonPropertyOrder(-1)]
    public string ClassName => ExpressionClasses.Names[Class];
}

/// <summary>Everything that decides one composed clip; rendering it again from the plan gives the same labels.</summary>
/// <param name="Name">Clip name (file stem of video and labels).</param>
/// <param name="Split">The split.</param>
/// <param name="Speaker">The clip's EmoDB speaker (a segment borrows another speaker of the split only when this one
/// has no utterance of its class).</param>
/// <param name="Identity">The clip's preferred face identity.</param>
/// <param name="Frames">Frame count of the video and of the label file.</param>
/// <param name="SnrDb">Speech-to-noise ratio of the sound track.</param>
/// <param name="RenderSeed">Seed of the picture's motion and of the noise.</param>
/// <param name="Segments">Expression segments, in order, covering every frame.</param>
/// <param name="AbsentSpans">Spans without a usable face, in order.</param>
public sealed record ClipPlan(string Name, ComposeSplit Split, string Speaker, string Identity, int Frames, double SnrDb, int RenderSeed,
    IReadOnlyList<SegmentPlan> Segments, IReadOnlyList<AbsentSpan> AbsentSpans)
{
    /// <summary>Frames with no utterance sounding.</summary>
    public int SilentFrames => Frames - Segments.SelectMany(s => s.Utterances).Sum(u => u.EndFrame - u.StartFrame);

    /// <summary>Frames without a usable face.</summary>
    public int AbsentFrames => AbsentSpans.Sum(a => a.EndFrame - a.StartFrame);

    /// <summary>The per-frame labels.</summary>
    public int[] Labels()
    {
        var labels = new int[Frames];
        foreach (var s in Segments)
            Array.Fill(labels, s.Class, s.StartFrame, s.EndFrame - s.StartFrame);
        return labels;
    }

    /// <summary>Per frame: is a usable face shown?</summary>
    public bool[] FacePresent()
    {
        var present = Enumerable.Repeat(true, Frames).ToArray();
        foreach (var a in AbsentSpans)
            Array.Fill(present, false, a.StartFrame, a.EndFrame - a.StartFrame);
        return present;
    }
}
