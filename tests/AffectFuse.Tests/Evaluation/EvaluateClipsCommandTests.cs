using Xunit;

namespace AffectFuse.Tests.Evaluation;

/// <summary>'affectfuse evaluate-clips' as a user runs it, output piped.</summary>
public class EvaluateClipsCommandTests
{
    [Fact]
    public void PrintsEachSystemsClipScoresOnUnfoldedLinesAndWritesTheFiles()
    {
        using var temp = new TempFolder();
        var (folder, labels, ckpt, _) = ClipEvaluationTests.Corpus(temp);
        string json = temp.File("scores.json"), csv = temp.File("clips.csv");

        var (code, error) = CliProcess.Run(null, "evaluate-clips", folder, "--labels", labels, "--model", ckpt, "--json", json, "--per-clip", csv);

        Assert.True(code == 0, error);
        string[] lines = CliProcess.LastOutput.Split('\n');
        // Each system's row whole on one line: name, accuracy, macro-F1 and the clips it gave no label.
        Assert.Contains(lines, l => l.Contains("face-api alone") && l.Contains("0.7500") && l.Contains("0.6667"));
        Assert.Contains(lines, l => l.Contains("face-api, mean over the clip") && l.Contains("0.5000"));
        Assert.Contains(lines, l => l.Contains("model, voice masked (face only)"));
        Assert.Contains(lines, l => l.Contains("on 4 clips of") && l.Contains("classes present: Neutral, Happiness, Sadness"));
        Assert.Contains("Confusion of the model", CliProcess.LastOutput);
        Assert.True(File.Exists(json) && File.Exists(csv));
    }

    [Fact]
    public void ABadLabelFileIsOneLineAndExitCode2()
    {
        using var temp = new TempFolder();
        var (folder, labels, ckpt, _) = ClipEvaluationTests.Corpus(temp);
        File.WriteAllText(labels, "happy_01,happy\nsad_01,joyful\n");

        var (code, error) = CliProcess.Run(null, "evaluate-clips", folder, "--labels", labels, "--model", ckpt);

        Assert.Equal(2, code);
        Assert.StartsWith($"error: {labels}: line 2: unknown label 'joyful'", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
