using System.CommandLine;
using AffectFuse.Cli;
using AffectFuse.Cli.Commands;
using AffectFuse.Data;
using AffectFuse.IO;
using Xunit;

namespace AffectFuse.Tests.Hostile;

/// <summary>A corpus of bad inputs, generated here, each of which must end in exactly one <c>error: SUBJECT: PROBLEM</c>
/// line naming the file or option at fault and exit code 2: never a stack trace, never exit 0 with a wrong result.
/// Each case stands for a class of fault (an output path that cannot be written, a file that is not what it claims, a
/// source that never delivers data, values no run can use), fixed where the class enters, not case by case.</summary>
public class HostileInputTests(HostileFiles f) : IClassFixture<HostileFiles>
{
    private static Command Cmd(string name) => name switch
    {
        "predict" => PredictCommand.Create(),
        "extract" => ExtractCommand.Create(),
        "train" => TrainCommand.Create(),
        "evaluate" => EvaluateCommand.Create(),
        "infer" => InferCommand.Create(),
        "export" => ExportCommand.Create(),
        "synth" => SynthCommand.Create(),
        "live" => LiveCommand.Create(),
        _ => throw new ArgumentException(name),
    };

    // (command, arguments with {placeholders}, what the one error line must name)
    public static TheoryData<string, string, string> Cases => new()
    {
        // outputs that cannot be written: an existing file where a folder goes, a folder where a file goes, no parent
        { "infer", "--model {ckpt} --features {features} --out {afile}", "{afile}: is a file" },
        { "infer", "--model {ckpt} --features {features} --out {tmp}/i1 --abaw-csv {empty-folder}", "{empty-folder}: is a folder" },
        { "infer", "--model {ckpt} --features {features} --out /proc/affectfuse-nope/x", "/proc/affectfuse-nope" },
        { "evaluate", "--model {ckpt} --features {features} --labels {labels} --json {empty-folder}", "{empty-folder}: is a folder" },
        { "evaluate", "--model {ckpt} --features {features} --labels {labels} --confusion-png {afile}/x.png", "{afile}" },
        { "evaluate", "--model {ckpt} --features {features} --labels {labels} --report /proc/affectfuse-nope/r.html", "/proc/affectfuse-nope" },
        { "export", "--model {ckpt} --out /proc/affectfuse-nope/x.safetensors", "/proc/affectfuse-nope" },
        { "synth", "--out {afile}", "{afile}: is a file" },
        { "train", "--data {data} --out {afile} --epochs 1", "{afile}: is a file" },
        { "extract", "{video} --out {afile}", "{afile}: is a file" },
        { "predict", "{video} --out {afile}", "{afile}: is a file" },
        { "predict", "{video} --out {tmp}/p1 --report {empty-folder}", "{empty-folder}: is a folder" },
        // inputs that are not what they claim, or never deliver data
        { "predict", "{pipe}", "{pipe}: is empty, or not a regular file" },
        { "predict", "{empty}", "{empty}: is empty" },
        { "predict", "{junk}", "{junk}: not a readable video or audio file" },
        { "predict", "{text-wav}", "{text-wav}: not a readable video or audio file" },
        { "predict", "{subtitles}", "{subtitles}: holds neither a video nor an audio stream" },
        { "predict", "{video} --model {junk}", "{junk}: not an AffectFuse checkpoint" },
        { "predict", "{video} --model {pipe}", "{pipe}: is empty, or not a regular file" },
        { "evaluate", "--model {empty} --features {features} --labels {labels}", "{empty}: is empty" },
        { "extract", "{empty-folder} --out {tmp}/e1", "{empty-folder}: no video or audio files found" },
        { "infer", "--model {ckpt} --features {features-t0} --out {tmp}/i2", "holds no frames (T = 0)" },
        { "infer", "--model {ckpt} --features {features-nan-time} --out {tmp}/i3", "timestamp of frame 3 is NaN" },
        { "infer", "--model {ckpt} --features {features-backwards} --out {tmp}/i4", "timestamps go backwards at frame 5" },
        { "train", "--data {data} --out {tmp}/t1 --config {config-unknown}", "{config-unknown}: not a valid config file" },
        { "train", "--data {data} --out {tmp}/t2 --config {config-bad}", "{config-bad}: --window: must be between 1 and 1024" },
        // values no run can use
        { "synth", "--out {tmp}/s1 --train-videos 0", "--train-videos: must be between 1 and 100000, got 0" },
        { "synth", "--out {tmp}/s2 --min-frames 100 --max-frames 50", "--max-frames: must be between 100 and" },
        { "synth", "--out {tmp}/s3 --no-face 1.5", "--no-face: must be in [0, 1), got 1.5" },
        { "evaluate", "--model {ckpt} --features {features} --labels {labels} --sweep --sweep-windows 0", "--sweep-windows: every window must be at least 1 frame, got 0" },
        { "evaluate", "--model {ckpt} --features {features} --labels {labels} --sweep --sweep-strides 2", "--sweep-strides: every stride fraction must be in (0, 1], got 2" },
        { "train", "--data {data} --out {tmp}/t3 --modalities Neither", "--modalities: 'Neither' is not one of" },
        { "predict", "{video} --face middle", "--face: 'middle' is not one of Largest, Left, Right" },
        { "extract", "--out {tmp}/e3", "VIDEOS: required (see 'extract --help')" },
        { "extract", "{video}", "--out: is required" },
        { "extract", "{video} --out {tmp}/e2 --shard 3/2", "--shard: must be i/N" },
        { "predict", "{empty-folder}", "{empty-folder}: is a folder, not a video or audio file" },
        { "evaluate", "--model {empty-folder} --features {features} --labels {labels}", "{empty-folder}: is a folder, not a checkpoint" },
        // a live source that is no video, or values no live run can use
        { "live", "{junk}", "{junk}: cannot be opened" },
        { "live", "{sound}", "{sound}: has no video stream" },
        { "live", "{video} --lookahead -1", "--lookahead: must be" },
        { "live", "{video} --fps 0", "--fps: must be in [1, 240], got 0" },
        { "live", "{video} --stall-timeout 0", "--stall-timeout: must be" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachBadInputIsOneLineNamingItAndExitCode2(string command, string arguments, string expected)
    {
        var (code, error) = CommandLine.Run(Cmd(command), [.. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Expand)]);
        var errors = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain("   at ", error);
        Assert.True(code == CommandRunner.BadInput, $"exit {code}: {error}");
        Assert.Single(errors);
        Assert.Contains(Expand(expected), errors[0]);
    }

    [Fact]
    public void AnUnreadableOutputUnderItsFinalNameIsRedoneNotTrusted()
    {
        string outDir = f.PathOf("resume-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(outDir);
        string output = Path.Combine(outDir, "clip.npz");
        File.WriteAllBytes(output, [1, 2, 3, 4]);
        var (code, error) = CommandLine.Run(ExtractCommand.Create(), f.Video, "--out", outDir);
        Assert.True(code == 0, error);
        Assert.Equal(50, FeatureFile.Load(output).FrameCount);
    }

    [Fact]
    public void ALinkLoopInAnInputFolderIsSearchedOnceAndTheSameFileTakenOnce()
    {
        string input = f.PathOf("loop-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(input);
        File.Copy(f.Video, Path.Combine(input, "clip.mp4"));
        Directory.CreateSymbolicLink(Path.Combine(input, "again"), input);
        File.CreateSymbolicLink(Path.Combine(input, "same.mp4"), Path.Combine(input, "clip.mp4"));
        var videos = AffectFuse.Features.VideoInputs.Discover([input]);
        Assert.Equal("clip.mp4", Assert.Single(videos).Key);
    }

    [Fact]
    public void LeftoverTemporaryFilesOfDeadWritersAreRemovedByTheNextRunAndLiveOnesKept()
    {
        string outDir = f.PathOf("stale-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(outDir);
        string host = Environment.MachineName.Replace('.', '-');
        string dead = Path.Combine(outDir, $".a.csv.{host}.{DeadPid()}.{Guid.NewGuid():N}.tmp");
        string live = Path.Combine(outDir, $".b.csv.{host}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(dead, "half");
        File.WriteAllText(live, "being written");
        var (code, error) = CommandLine.Run(InferCommand.Create(), "--model", f.Checkpoint, "--features", f.Features, "--out", outDir);
        Assert.True(code == 0, error);
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
    }

    [Fact]
    public void ACorruptOrCutVideoWarnsWithFramesDecodedOfDeclaredAndStrictFramesMakesItAFailure()
    {
        // The index (moov) moved to the front, then the second half of the frame data overwritten: the container still
        // declares every frame, the decoder cannot deliver them all.
        string cut = f.PathOf("cut-" + Guid.NewGuid().ToString("N")[..8] + ".mp4");
        string faststart = f.PathOf("fs-" + Guid.NewGuid().ToString("N")[..8] + ".mp4");
        Decoding.TestMedia.Ffmpeg($"-i \"{f.Video}\" -c copy -movflags +faststart \"{faststart}\"");
        byte[] bytes = File.ReadAllBytes(faststart);
        var random = new Random(5);
        for (int i = bytes.Length / 2; i < bytes.Length - 200; i++) bytes[i] = (byte)random.Next(256);
        File.WriteAllBytes(cut, bytes);

        string outDir = f.PathOf("cut-out-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, error) = CommandLine.Run(ExtractCommand.Create(), cut, "--out", outDir);
        Assert.True(code == 0, error);
        Assert.Matches(@"warning:.*decoded \d+ of the 50 frames the container declares", error);
        (code, error) = CommandLine.Run(ExtractCommand.Create(), cut, "--out", outDir + "-strict", "--strict-frames");
        Assert.Equal(ExtractCommand.SomeFailed, code);
        Assert.Matches(@"error: .*decoded \d+ of the 50 frames", error);
    }

    [Fact]
    public void ShortBringYourOwnAudioIsPaddedWithAWarningInInferAsInEvaluate()
    {
        string visual = f.PathOf("byo-v-" + Guid.NewGuid().ToString("N")[..8]), audio = f.PathOf("byo-a-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(visual);
        Directory.CreateDirectory(audio);
        var video = FeatureFile.Load(Directory.GetFiles(f.Features, "*.npz").Order(StringComparer.Ordinal).First());
        NpyFormat.Write(Path.Combine(visual, video.VideoId + ".npy"), video.Visual.ToNpy());
        NpyFormat.Write(Path.Combine(audio, video.VideoId + ".npy"), video.Audio.WithRows(video.FrameCount / 2).ToNpy());
        var (code, error) = CommandLine.Run(InferCommand.Create(), "--model", f.Checkpoint, "--visual-npy", visual, "--audio-npy", audio, "--out", f.PathOf("byo-out"));
        Assert.True(code == 0, error);
        Assert.Contains("padded", error);
        Assert.Contains("warning:", error);
    }

    private static int DeadPid()
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    private string Expand(string text) => text
        .Replace("{ckpt}", f.Checkpoint).Replace("{features-t0}", T0()).Replace("{features-nan-time}", NanTime()).Replace("{features-backwards}", Backwards())
        .Replace("{features}", f.Features).Replace("{labels}", f.Labels).Replace("{data}", f.Data).Replace("{afile}", f.AFile)
        .Replace("{empty-folder}", f.EmptyFolder).Replace("{empty}", f.Empty).Replace("{junk}", f.Junk).Replace("{video}", f.Video).Replace("{sound}", f.Sound)
        .Replace("{text-wav}", f.TextWav).Replace("{subtitles}", f.Subtitles)
        .Replace("{pipe}", f.Pipe).Replace("{config-unknown}", Config("unknown", "\"Windowz\": 32")).Replace("{config-bad}", Config("bad", "\"Window\": -5"))
        .Replace("{tmp}", f.PathOf("out-" + Guid.NewGuid().ToString("N")[..8]));

    private string Config(string name, string body)
    {
        string path = f.PathOf($"config-{name}.json");
        if (!File.Exists(path)) File.WriteAllText(path, "{ " + body + " }");
        return path;
    }

    private string T0() => Damaged("t0", v => new HostileFiles.Arrays(v.Visual.WithRows(0), [], v.Audio.WithRows(0), [], []));

    private string NanTime() => Damaged("nan-time", v => HostileFiles.Arrays.Of(v) with { Timestamps = [.. v.Timestamps.Select((t, i) => i == 3 ? double.NaN : t)] });

    private string Backwards() => Damaged("backwards", v => HostileFiles.Arrays.Of(v) with { Timestamps = [.. v.Timestamps.Select((t, i) => i == 5 ? t - 1 : t)] });

    private string Damaged(string name, Func<VideoFeatures, HostileFiles.Arrays> damage)
    {
        string dir = f.PathOf("features-" + name);
        return Directory.Exists(dir) ? dir : f.DamagedFeatures("features-" + name, damage);
    }
}
