namespace AffectFuse.Reporting;

/// <summary>A captioned PNG to embed in an HTML report (e.g. a per-video timeline).</summary>
/// <param name="Title">Caption shown under the image and used as its alt text.</param>
/// <param name="Png">The PNG file's bytes.</param>
internal sealed record ReportImage(string Title, byte[] Png);
