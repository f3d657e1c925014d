using System.Globalization;
using AffectFuse.Inference;

namespace AffectFuse.Reporting;

/// <summary>The prediction report's "What the face nets saw": per segment, the mean over its frames with a face of each
/// cue. Of MediaPipe's 52 blendshapes it shows the few that tell expressions apart, each left/right pair averaged (the
/// CSV has all 52).</summary>
internal static class FaceCueTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The blendshapes in the report: its heading and the columns it averages. Chosen on the labelled photographs
    /// (<c>bench blendshapes</c>, README): the ones whose means differ between labels; frown, eye wide and nose sneer stayed
    /// near 0 on every label there.</summary>
    public static readonly IReadOnlyList<(string Heading, string[] Columns)> Blendshapes =
    [
        ("smile", ["bs_mouthSmileLeft", "bs_mouthSmileRight"]),
        ("upper lip up", ["bs_mouthUpperUpLeft", "bs_mouthUpperUpRight"]),
        ("brow inner up", ["bs_browInnerUp"]),
        ("brow outer up", ["bs_browOuterUpLeft", "bs_browOuterUpRight"]),
        ("brow down", ["bs_browDownLeft", "bs_browDownRight"]),
        ("jaw open", ["bs_jawOpen"]),
        ("pucker", ["bs_mouthPucker"]),
    ];

    // One column of the table: its heading, the cues it averages, and whether it is a 0..1 score shown with a bar.
    private sealed record Column(string Heading, int[] Cues, bool Score);

    public static void Write(HtmlBuilder html, FaceCues cues, IReadOnlyList<ExpressionSegment> segments, int maxRows)
    {
        html.Open("section", ("id", "face-cues")).Element("h2", "What the face nets saw");
        html.Element("p", "Per segment, the mean over its frames with a face of face-api's own expression probabilities, of the " +
            "landmark measures (distances in inter-ocular distances; eye opening as lid distance over eye width) and of MediaPipe's " +
            "blendshape scores (left and right averaged; all 52 are in the CSV). Empty: no face in the segment.", ("class", "note"));
        var columns = Columns(cues);
        var header = new[] { Header("#"), Header("Expression") }.Concat(columns.Select(c => Header(c.Heading))).ToArray();
        var rows = segments.Take(maxRows).Select((seg, i) =>
        {
            var cells = new List<HtmlCell> { new((i + 1).ToString(Inv)), new(seg.LabelName, "label") };
            cells.AddRange(columns.Select(c => Cell(Mean(cues, c.Cues, seg), c.Score)));
            return (IReadOnlyList<HtmlCell>)cells;
        });
        html.Table("cue-table", "num", header, rows);
        html.Close();
    }

    private static List<Column> Columns(FaceCues cues)
    {
        var names = cues.Names.ToList();
        var columns = names.Select((n, i) => (n, i)).Where(p => !p.n.StartsWith("bs_", StringComparison.Ordinal))
            .Select(p => new Column(p.n.Replace("faceapi_", "face-api ").Replace("lm_", ""), [p.i], p.n.StartsWith("faceapi_", StringComparison.Ordinal)))
            .ToList();
        foreach (var (heading, wanted) in Blendshapes)
            if (wanted.All(names.Contains))
                columns.Add(new Column("blendshape " + heading, wanted.Select(w => names.IndexOf(w)).ToArray(), true));
        return columns;
    }

    // NaN where the segment has no face.
    private static double Mean(FaceCues cues, int[] columns, ExpressionSegment seg)
    {
        int n = cues.Names.Count;
        var values = Enumerable.Range(seg.StartFrame, seg.EndFrame - seg.StartFrame)
            .SelectMany(f => columns.Select(c => cues.Values[(long)f * n + c]))
            .Where(v => !float.IsNaN(v)).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }

    private static HtmlCell Cell(double mean, bool score) =>
        double.IsNaN(mean) ? new("") : score ? new(mean.ToString("0.0000", Inv), Style: HtmlReport.Bar(mean)) : new(mean.ToString("0.000", Inv));

    private static HtmlCell Header(string text) => new(text, IsHeader: true);
}
