using System.Text.RegularExpressions;
using AffectFuse.Workflows;
using Xunit;
using Xunit.Abstractions;
using AffectFuse.Tests.Fixtures;

namespace AffectFuse.Tests.Cli;

/// <summary>`affectfuse live` as a user runs it: a file played live gives one JSON line per frame and predict's files at
/// the end; the page it serves shows the labels as they arrive (headless Chromium); a source that sends nothing is one
/// line and exit code 2.</summary>
[Collection(PipelineMediaCollection.Name)]
public class LiveCommandTests(PipelineMedia media, ITestOutputHelper output)
{
    [Fact]
    public void AFilePlayedLiveGivesAJsonLinePerFrameAndPredictsFilesAtTheEnd()
    {
        string outDir = media.PathOf("live-out-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, error) = CliProcess.Run(null, "live", media.Video, "--realtime", "--out", outDir);
        Assert.True(code == 0, error);
        var lines = CliProcess.LastOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(LiveFrameResult.FromJson).ToList();
        Assert.Equal(Enumerable.Range(0, PipelineMedia.Frames), lines.Select(l => l.Frame));
        Assert.All(lines, l => Assert.Equal(8, l.Probabilities.Length));
        Assert.Contains(lines, l => l.FacePresent && l.FaceBox is not null);
        Assert.Contains(lines, l => !l.FacePresent);
        Assert.Equal(0, lines[^1].Dropped);
        Assert.Equal(PipelineMedia.Frames + 1, File.ReadAllLines(Path.Combine(outDir, "live.csv")).Length);
        Assert.True(File.Exists(Path.Combine(outDir, "live.timeline.png")));
    }

    [Fact]
    public void ThePageItServesShowsTheLabelsAsTheyArrive()
    {
        if (!HeadlessChromium.RequireOrSkip(output))
            return;
        using var live = CliProcess.Start(null, "live", media.Video, "--realtime", "--serve", "0");
        var stdout = live.StandardOutput.ReadToEndAsync();
        string? url = null;
        while (url is null && live.StandardError.ReadLine() is { } line)
            url = Regex.Match(line, @"live page: (http://127\.0\.0\.1:\d+/)") is { Success: true } m ? m.Groups[1].Value : null;
        Assert.NotNull(url);
        using (var browser = HeadlessChromium.Open(new Uri(url)))
        {
            bool shown = browser.WaitFor("Number((document.getElementById('count')?.textContent ?? '').replace(/\\D/g, '')) > 10", TimeSpan.FromSeconds(30));
            string label = browser.Evaluate("document.getElementById('label').textContent")?.ToString() ?? "";
            output.WriteLine($"page label: {label}");
            Assert.True(shown, "the page received no updates");
            Assert.Contains(label.Trim(), AffectFuse.ExpressionClasses.Names);
        }
        _ = live.StandardError.ReadToEndAsync();
        Assert.True(live.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, live.ExitCode);
        Assert.Equal(PipelineMedia.Frames, stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void ASourceThatSendsNothingIsOneLineAndExitCode2()
    {
        var (code, error) = CliProcess.Run(null, "live", "udp://127.0.0.1:9?timeout=1000000", "--stall-timeout", "1");
        Assert.Equal(2, code);
        // FFmpeg gives up first (the URL's own timeout), or the stall time ends the wait: either way one line naming the source.
        Assert.Matches(@"^error: udp://127\.0\.0\.1:9\S*: (delivered no data within [\d.]+ s \(not streaming, or unreachable\)|cannot be opened: .+)$", error.Trim());
    }
}
