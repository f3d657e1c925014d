using Xunit;
using AffectFuse.Decoding;
using OpenCvSharp;

namespace AffectFuse.Tests.Decoding;

public sealed class VideoDecoderTests : IDisposable
{
    private readonly TestMedia _media = new();

    public void Dispose() => _media.Dispose();

    private static List<(int Index, double Time, Size Size, MatType Type)> ReadAll(string path, DecodeOptions? options = null)
    {
        using var decoder = VideoDecoder.Open(path, options);
        var list = new List<(int, double, Size, MatType)>();
        foreach (var frame in decoder.ReadFrames())
            using (frame)
                list.Add((frame.Index, frame.Timestamp, frame.Image.Size(), frame.Image.Type()));
        return list;
    }

    [Fact]
    public void DamageInTheMiddleIsSkippedAndTheFramesAfterItKeepTheirTimes()
    {
        // 6 s, 150 frames at a high bit rate, the index in front; then 64 KiB of garbage in the middle of the frame data.
        string clean = _media.PathOf("clean.mp4"), damaged = _media.PathOf("damaged.mp4");
        TestMedia.Ffmpeg($"-f lavfi -i testsrc2=size=640x480:rate=25 -t 6 -c:v libx264 -preset ultrafast -crf 8 -g 50 -pix_fmt yuv420p -movflags +faststart \"{clean}\"");
        byte[] bytes = File.ReadAllBytes(clean);
        Assert.True(bytes.Length > 400_000, $"{bytes.Length} bytes: too small for the damage to stay in the frame data");
        new Random(3).NextBytes(bytes.AsSpan(bytes.Length / 2, 65536));
        File.WriteAllBytes(damaged, bytes);

        var whole = ReadAll(clean);
        using var decoder = VideoDecoder.Open(damaged);
        var kept = new List<(int Index, double Time)>();
        foreach (var frame in decoder.ReadFrames())
            using (frame)
                kept.Add((frame.Index, frame.Timestamp));

        // FFmpeg's own decoder gives 144 of these 150 frames; before, decoding stopped at the damage with about half.
        Assert.InRange(kept.Count, 135, 149);
        Assert.True(kept[^1].Time > 5.9, $"the last frame is at {kept[^1].Time} s");
        // Every frame kept is at its own time in the undamaged file, in order.
        var times = whole.Select(w => Math.Round(w.Time, 3)).ToHashSet();
        Assert.All(kept, k => Assert.Contains(Math.Round(k.Time, 3), times));
        Assert.Equal(Enumerable.Range(0, kept.Count), kept.Select(k => k.Index));
        var (from, to) = Assert.Single(decoder.SkippedStretches);
        Assert.InRange(from, 2.0, 4.0);
        Assert.True(to > from);
    }

    [Fact]
    public void ConstantRateFileGivesEveryFrameAtItsTime()
    {
        string path = _media.PathOf("cfr.mp4");
        TestMedia.Ffmpeg($"-f lavfi -i testsrc2=size=320x240:rate=25 -t 2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p \"{path}\"");

        using var decoder = VideoDecoder.Open(path);
        Assert.Equal((320, 240), (decoder.Info.Width, decoder.Info.Height));
        Assert.Equal(25, decoder.Info.NominalFps, 3);
        Assert.Equal(50, decoder.Info.FrameCountEstimate);
        Assert.Equal(2.0, decoder.Info.Duration!.Value, 2);
        var frames = ReadAll(path);
        Assert.Equal(50, frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.Equal(i, frames[i].Index);
            Assert.Equal(i / 25.0, frames[i].Time, 3);
            Assert.Equal(new Size(320, 240), frames[i].Size);
            Assert.Equal(MatType.CV_8UC3, frames[i].Type);
        }
    }

    [Fact]
    public void VariableRateFileKeepsEachFramesOwnTime()
    {
        // 30 frames at 30 fps, then 10 frames at 10 fps, kept as they are (no frame duplication or dropping).
        string path = _media.PathOf("vfr.mp4");
        TestMedia.Ffmpeg($"-f lavfi -i testsrc2=size=160x120:rate=30 -frames:v 40 -vf \"setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'\" " +
                         $"-fps_mode passthrough -c:v libx264 -preset ultrafast -pix_fmt yuv420p \"{path}\"");

        var frames = ReadAll(path);
        Assert.Equal(40, frames.Count);
        for (int i = 0; i < 40; i++)
            Assert.Equal(i < 30 ? i / 30.0 : 1 + (i - 30) / 10.0, frames[i].Time, 3);
    }

    [Fact]
    public void RotationMetadataIsAppliedLikeFfmpeg()
    {
        string plain = _media.PathOf("plain.mp4"), rotated = _media.PathOf("rot.mp4");
        TestMedia.Ffmpeg($"-f lavfi -i testsrc2=size=320x240:rate=25 -frames:v 10 -c:v libx264 -preset ultrafast -pix_fmt yuv444p \"{plain}\"");
        // Stream copy writes the display matrix (ffmpeg 5: the rotate tag becomes side data).
        TestMedia.Ffmpeg($"-i \"{plain}\" -c copy -metadata:s:v:0 rotate=90 \"{rotated}\"");

        using var decoder = VideoDecoder.Open(rotated);
        Assert.Equal((240, 320), (decoder.Info.Width, decoder.Info.Height));
        Assert.True(decoder.Info.Rotation is 90 or 270, $"rotation {decoder.Info.Rotation}");
        using var first = decoder.ReadFrames().First();
        Assert.Equal(new Size(240, 320), first.Image.Size());
        using var reference = _media.FirstFrameByFfmpeg(rotated);
        Assert.Equal(first.Image.Size(), reference.Size());
        Assert.True(MeanAbsDifference(first.Image, reference) < 6, "decoded rotated frame differs from ffmpeg's auto-rotated frame");
    }

    [Fact]
    public void OddSizedFrameKeepsItsSizeAndPixels()
    {
        string path = _media.PathOf("odd.mp4");
        TestMedia.Ffmpeg($"-f lavfi -i testsrc=size=641x359:rate=25 -frames:v 5 -c:v libx264 -preset ultrafast -pix_fmt yuv444p \"{path}\"");

        using var decoder = VideoDecoder.Open(path);
        Assert.Equal((641, 359), (decoder.Info.Width, decoder.Info.Height));
        using var first = decoder.ReadFrames().First();
        using var reference = _media.FirstFrameByFfmpeg(path);
        Assert.Equal(new Size(641, 359), first.Image.Size());
        Assert.True(MeanAbsDifference(first.Image, reference) < 6);
    }

    [Fact]
    public void GreySourceComesOutAsGreyBgr()
    {
        string path = _media.PathOf("gray.mkv");
        TestMedia.Ffmpeg($"-f lavfi -i testsrc2=size=160x120:rate=25 -frames:v 5 -c:v ffv1 -pix_fmt gray \"{path}\"");

        using var decoder = VideoDecoder.Open(path);
        var frames = decoder.ReadFrames().ToList();
        Assert.Equal(5, frames.Count);
        var channels = frames[2].Image.Split();
        Assert.Equal(0, Cv2.Norm(channels[0], channels[1], NormTypes.L1));
        Assert.Equal(0, Cv2.Norm(channels[1], channels[2], NormTypes.L1));
        Cv2.MinMaxLoc(channels[0], out double min, out double max);
        Assert.True(max - min > 100, "grey frame has no contrast: conversion lost the picture");
        foreach (var c in channels) c.Dispose();
        foreach (var f in frames) f.Dispose();
    }

    [Fact]
    public void MaxSizeShrinksKeepingAspect()
    {
        string path = _media.PathOf("big.mp4");
        TestMedia.Ffmpeg($"-f lavfi -i testsrc2=size=1280x720:rate=25 -frames:v 3 -c:v libx264 -preset ultrafast -pix_fmt yuv420p \"{path}\"");

        var frames = ReadAll(path, new DecodeOptions { MaxSize = 640 });
        Assert.Equal(3, frames.Count);
        Assert.All(frames, f => Assert.Equal(new Size(640, 360), f.Size));
    }

    [Fact]
    public void StreamWithoutTimestampsGetsSteadySteps()
    {
        string path = _media.PathOf("raw.h264");
        TestMedia.Ffmpeg($"-f lavfi -i testsrc2=size=160x120:rate=25 -frames:v 10 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -f h264 \"{path}\"");

        var frames = ReadAll(path);
        Assert.Equal(10, frames.Count);
        for (int i = 0; i < 10; i++)
            Assert.Equal(i * 0.04, frames[i].Time, 3);
    }

    [Fact]
    public void LongVideoReusesFrameBuffers()
    {
        string path = _media.PathOf("long.mp4");
        TestMedia.Ffmpeg($"-f lavfi -i testsrc2=size=160x120:rate=25 -frames:v 60 -c:v libx264 -preset ultrafast -pix_fmt yuv420p \"{path}\"");

        using var decoder = VideoDecoder.Open(path);
        var buffers = new HashSet<IntPtr>();
        foreach (var frame in decoder.ReadFrames())
            using (frame)
                buffers.Add(frame.Image.Data);
        Assert.Equal(60, decoder.FramesDecoded);
        Assert.True(buffers.Count <= 2, $"{buffers.Count} distinct pixel buffers for 60 frames disposed promptly");
    }

    [Theory]
    [InlineData("text")]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("missing")]
    public void UnreadableFileIsReportedWithItsName(string kind)
    {
        string path = _media.PathOf($"{kind}.mp4");
        switch (kind)
        {
            case "text":
                File.WriteAllText(path, "this is not a video\n");
                break;
            case "truncated":
                string good = _media.PathOf("good.mp4");
                TestMedia.Ffmpeg($"-f lavfi -i testsrc2=size=160x120:rate=25 -frames:v 25 -c:v libx264 -preset ultrafast -pix_fmt yuv420p \"{good}\"");
                var bytes = File.ReadAllBytes(good);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
        }

        var e = Assert.Throws<AffectFuseException>(() => ReadAll(path));
        Assert.Contains(path, e.Message);
    }

    private static double MeanAbsDifference(Mat a, Mat b)
    {
        using var diff = new Mat();
        Cv2.Absdiff(a, b, diff);
        var mean = Cv2.Mean(diff);
        return (mean.Val0 + mean.Val1 + mean.Val2) / 3;
    }
}
