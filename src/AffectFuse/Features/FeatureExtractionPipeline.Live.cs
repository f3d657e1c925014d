using AffectFuse.Decoding;
using AffectFuse.Faces;
using AffectFuse.Features.Visual;
using OpenCvSharp;

namespace AffectFuse.Features;

/// <summary>One frame's features as a live stream produces them.</summary>
/// <param name="Frame">The frame's index in the stream (dropped frames leave gaps).</param>
/// <param name="Time">Its time in its segment (the connection it came in), seconds: the clock its sound keeps.</param>
/// <param name="Visual">Its visual row (<see cref="FeatureExtractionPipeline.VisualDim"/> values; zeros without a face).</param>
/// <param name="FacePresent">Whether a face was tracked.</param>
/// <param name="FaceBox">The face box as fractions of the frame (x, y, width, height), or null.</param>
/// <param name="Audio">Its audio row (<see cref="FeatureExtractionPipeline.AudioDim"/> values).</param>
/// <param name="AudioPresent">Whether the stream had sound at that time.</param>
/// <param name="ArrivalTimestamp"><see cref="System.Diagnostics.Stopwatch"/> time the frame arrived (for latency).</param>
internal sealed record LiveFeatureRow(int Frame, double Time, float[] Visual, bool FacePresent, (float X, float Y, float Width, float Height)? FaceBox,
    float[] Audio, bool AudioPresent, long ArrivalTimestamp);

internal sealed partial class FeatureExtractionPipeline
{
    /// <summary>Features of a live stream, one frame at a time as they become ready, with the same models and options as
    /// <see cref="Extract"/>: the tracker, the face nets on every <see cref="ExtractionOptions.FaceNetEvery"/>-th frame of
    /// a face run (the frames between hold the last row) and the audio pooled at each frame's time.</summary>
    /// <remarks>Per frame, not in batches: a live frame should not wait for the 31 after it. What it still waits for is
    /// the tracker's look-ahead (<paramref name="trackerHold"/> frames: it detects every hold + 1 frames, at most every
    /// <see cref="ExtractionOptions.DetectEvery"/>) and <paramref name="audioHorizonSeconds"/> of sound after its time
    /// (<see cref="AudioFeatureStream"/>). Memory is the models and those few frames, whatever the stream's length.</remarks>
    public IEnumerable<LiveFeatureRow> ExtractLive(IEnumerable<LiveFrame> frames, IEnumerable<float[]>? pcmChunks, int trackerHold,
        double audioHorizonSeconds, CancellationToken cancel = default)
    {
        var o = Options;
        ArgumentOutOfRangeException.ThrowIfNegative(trackerHold);
        int detectEvery = Math.Min(o.DetectEvery, trackerHold + 1);
        var tracker = new FaceTracker(NewDetector(), new FaceTrackerOptions { DetectEvery = detectEvery, Selection = o.Face });
        var arrivals = new Dictionary<int, long>();
        using var audio = _audio.OpenStream(pcmChunks, audioHorizonSeconds);
        // The file path's face step, one face at a time: a live frame should not wait to fill a batch.
        using var faces = new FaceStep(_visualNets);
        var slot = new FrameBatch(1, _visualNets.NeedsGray, _visualNets.NeedsRgb, _visualNets.NeedsMeshCrop);
        var history = new LandmarkHistory();
        var last = new float[VisualDim];
        int faceRun = 0;
        foreach (var tracked in tracker.Track(Frames(frames, arrivals, cancel)))
        {
            using (tracked)
            {
                var frame = tracked.Frame;
                var visual = new float[VisualDim];
                bool present = tracked.Face.Present;
                if (present && faceRun++ % o.FaceNetEvery == 0)
                {
                    faces.Pack(frame.Image, tracked.Face, slot, 0);
                    _visualNets.Extract(1, slot.Crops, slot.RgbCrops, slot.MeshCrops, slot.MeshRegions, [frame.Index], [faceRun > 1], [history], visual);
                    visual.CopyTo(last, 0);
                }
                else if (present)
                    last.CopyTo(visual, 0);
                else
                    faceRun = 0;
                var row = new float[AudioDim];
                bool sound = audio.Next(frame.Timestamp, row);
                arrivals.Remove(frame.Index, out long arrived);
                yield return new LiveFeatureRow(frame.Index, frame.Timestamp, visual, present, present ? Box(tracked.Face, frame.Image) : null, row, sound, arrived);
            }
        }
    }

    private static (float, float, float, float) Box(TrackedFace face, Mat image)
    {
        var b = face.Box;
        return (b.X / image.Width, b.Y / image.Height, b.Width / image.Width, b.Height / image.Height);
    }

    // The tracker sees plain frames; their arrival times wait here until the frame comes out of it.
    private static IEnumerable<VideoFrame> Frames(IEnumerable<LiveFrame> frames, Dictionary<int, long> arrivals, CancellationToken cancel)
    {
        foreach (var f in frames)
        {
            cancel.ThrowIfCancellationRequested();
            arrivals[f.Frame.Index] = f.ArrivalTimestamp;
            yield return f.Frame;
        }
    }
}
