namespace AffectFuse.Features.Visual;

/// <summary>Action-unit-like expression measures from the 68 iBUG-300W landmarks that face-api's FaceLandmark68Net
/// predicts: mouth opening and width, lip-corner lift, brow raise and knit, eye opening, jaw drop — the geometric cues
/// OpenFace-style tools expose. Distances are divided by the inter-ocular distance so they do not depend on the face's
/// size in the frame; the aligner has already levelled the eyes, so "up" is the crop's −y.</summary>
/// <remarks>Point numbering is the 0-based iBUG 68 scheme face-api uses: jaw 0–16, right brow 17–21, left brow 22–26,
/// nose 27–35, right eye 36–41, left eye 42–47, outer lips 48–59, inner lips 60–67 ("right" = the subject's right,
/// image left).</remarks>
internal static class LandmarkGeometry
{
    /// <summary>Names of the measures, in row order.</summary>
    public static readonly IReadOnlyList<string> MeasureNames =
    [
        "mouth_open", "mouth_width", "mouth_aspect", "lip_corner_lift", "upper_lip_raise",
        "brow_raise_right", "brow_raise_left", "brow_knit", "eye_open_right", "eye_open_left", "jaw_drop", "nose_width",
    ];

    /// <summary>Number of measures per face.</summary>
    public static int Count => MeasureNames.Count;

    /// <summary>Writes the measures of one face into <paramref name="measures"/> (<see cref="Count"/> values) from its
    /// 68 points given as interleaved x, y (any unit: every measure is a ratio).</summary>
    public static void Measure(ReadOnlySpan<float> xy, Span<float> measures)
    {
        if (xy.Length != 136)
            throw new ArgumentException($"expected 68 points (136 values), got {xy.Length}", nameof(xy));
        if (measures.Length != Count)
            throw new ArgumentException($"expected room for {Count} measures, got {measures.Length}", nameof(measures));
        var p = new Points(xy);
        var rightEye = p.Centre(36, 41);
        var leftEye = p.Centre(42, 47);
        float iod = MathF.Max(Distance(rightEye, leftEye), 1e-6f);
        var mouthCentre = Mid(p[51], p[57]);
        float open = Distance(p[62], p[66]) / iod;
        float width = Distance(p[48], p[54]) / iod;

        measures[0] = open;
        measures[1] = width;
        measures[2] = open / MathF.Max(width, 1e-6f);
        // Positive when the lip corners sit above the mouth's centre: a smile lifts them.
        measures[3] = (mouthCentre.Y - (p[48].Y + p[54].Y) / 2) / iod;
        measures[4] = Distance(p[33], p[51]) / iod;
        measures[5] = (rightEye.Y - p.Centre(17, 21).Y) / iod;
        measures[6] = (leftEye.Y - p.Centre(22, 26).Y) / iod;
        measures[7] = Distance(p[21], p[22]) / iod;
        measures[8] = EyeOpening(p, 36);
        measures[9] = EyeOpening(p, 42);
        measures[10] = Distance(p[8], p[27]) / iod;
        measures[11] = Distance(p[31], p[35]) / iod;
    }

    // Eye aspect ratio (Soukupová & Čech 2016): mean lid distance over the eye's width.
    private static float EyeOpening(Points p, int first)
    {
        float lids = (Distance(p[first + 1], p[first + 5]) + Distance(p[first + 2], p[first + 4])) / 2;
        return lids / MathF.Max(Distance(p[first], p[first + 3]), 1e-6f);
    }

    private static float Distance((float X, float Y) a, (float X, float Y) b)
    {
        float dx = a.X - b.X, dy = a.Y - b.Y;
        return MathF.Sqrt(dx * dx + dy * dy);
    }

    private static (float X, float Y) Mid((float X, float Y) a, (float X, float Y) b) => ((a.X + b.X) / 2, (a.Y + b.Y) / 2);

    private readonly ref struct Points(ReadOnlySpan<float> xy)
    {
        private readonly ReadOnlySpan<float> _xy = xy;

        public (float X, float Y) this[int i] => (_xy[2 * i], _xy[2 * i + 1]);

        public (float X, float Y) Centre(int first, int last)
        {
            float x = 0, y = 0;
            for (int i = first; i <= last; i++)
            {
                x += _xy[2 * i];
                y += _xy[2 * i + 1];
            }
            int n = last - first + 1;
            return (x / n, y / n);
        }
    }
}
