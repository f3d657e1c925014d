using AffectFuse.Faces;

namespace AffectFuse.Data;

/// <summary>The Aff-Wild2 conventions in one place: the folder layout of the EXPR annotation sets and the features beside
/// them, and the <c>_left</c>/<c>_right</c> rule for two-person videos (one video file, one label file per person).</summary>
internal static class AffWild2Layout
{
    /// <summary>Top-level folder of the EXPR annotation sets.</summary>
    public const string LabelsRoot = "EXPR_Recognition_Challenge";

    /// <summary>Feature folder beside it (what <c>synth</c> writes and <c>train --data</c> reads).</summary>
    public const string FeaturesFolder = "features";

    /// <summary>Suffixes of the two people of a two-person video, left first.</summary>
    public static readonly IReadOnlyList<string> PersonSuffixes = ["_left", "_right"];

    /// <summary>Suffix of a person of a video with other than two people (followed by the person's id).</summary>
    public const string PersonSuffix = "_person";

    /// <summary>An annotation set's folder name as the organisers spell it.</summary>
    public static string SetFolder(AffWild2Split split) => split switch
    {
        AffWild2Split.Train => "Train_Set",
        AffWild2Split.Validation => "Validation_Set",
        _ => "Test_Set",
    };

    /// <summary>The annotation folder of <paramref name="split"/> under the data set's <paramref name="root"/>.</summary>
    public static string LabelsDir(string root, AffWild2Split split) => Path.Combine(root, LabelsRoot, SetFolder(split));

    /// <summary>The feature folder under the data set's <paramref name="root"/>.</summary>
    public static string FeaturesDir(string root) => Path.Combine(root, FeaturesFolder);

    /// <summary>The video id of a video file's features and labels: its file stem, with the person's suffix when following
    /// one person of a two-person video.</summary>
    public static string VideoIdFor(string videoPath, FaceSelection face)
    {
        string stem = Path.GetFileNameWithoutExtension(videoPath);
        return face switch
        {
            FaceSelection.Left => stem + PersonSuffixes[0],
            FaceSelection.Right => stem + PersonSuffixes[1],
            _ => stem,
        };
    }

    /// <summary>The ids of every person of a video whose faces were all followed: with two people, Aff-Wild2's
    /// <c>_left</c>/<c>_right</c> by where each face mostly is (the mean centre of their <paramref name="boxes"/>, [T, 4]
    /// fractions of the frame, NaN without a face); otherwise <c>_person1</c>, <c>_person2</c>, … by person id.</summary>
    public static IReadOnlyList<string> PersonIds(string videoId, IReadOnlyList<int> persons, IReadOnlyList<float[]?> boxes)
    {
        var centreX = boxes.Select(MeanCentreX).ToArray();
        if (persons.Count == 2 && centreX[0] != centreX[1])
        {
            int left = centreX[0] < centreX[1] ? 0 : 1;
            return left == 0 ? [videoId + PersonSuffixes[0], videoId + PersonSuffixes[1]] : [videoId + PersonSuffixes[1], videoId + PersonSuffixes[0]];
        }
        return [.. persons.Select(p => $"{videoId}{PersonSuffix}{p}")];
    }

    // Where a person mostly is across the frame (0 = left edge, 1 = right); the middle when never seen.
    private static double MeanCentreX(float[]? boxes)
    {
        double sum = 0;
        int n = 0;
        for (int t = 0; boxes is not null && t < boxes.Length / 4; t++)
            if (!float.IsNaN(boxes[t * 4]))
            {
                sum += boxes[t * 4] + boxes[t * 4 + 2] / 2;
                n++;
            }
        return n == 0 ? 0.5 : sum / n;
    }

    /// <summary>The ids whose files may hold <paramref name="videoId"/>'s features, in order: its own, then (for one person
    /// of a video, <c>_left</c>, <c>_right</c> or <c>_personN</c>) the video's, which holds every person (format 2) or
    /// the one face both share.</summary>
    public static IReadOnlyList<string> FeatureIdsFor(string videoId)
    {
        foreach (string suffix in PersonSuffixes)
            if (videoId.EndsWith(suffix, StringComparison.Ordinal) && videoId.Length > suffix.Length)
                return [videoId, videoId[..^suffix.Length]];
        int person = videoId.LastIndexOf(PersonSuffix, StringComparison.Ordinal);
        if (person > 0 && videoId.Length > person + PersonSuffix.Length && videoId[(person + PersonSuffix.Length)..].All(char.IsAsciiDigit))
            return [videoId, videoId[..person]];
        return [videoId];
    }
}

/// <summary>The annotation sets of Aff-Wild2's EXPR challenge.</summary>
internal enum AffWild2Split
{
    /// <summary>Train_Set.</summary>
    Train,

    /// <summary>Validation_Set.</summary>
    Validation,

    /// <summary>Test_Set (held out by the organisers; our composed benchmark has one).</summary>
    Test,
}
