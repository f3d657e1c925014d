using AffectFuse.Audio;
using AffectFuse.Decoding;
using AffectFuse.Faces;
using AffectFuse.Features.Visual;
using OpenCvSharp;

namespace AffectFuse.Features;

/// <summary>One person's face in a live frame.</summary>
/// <param name="Person">The person's id (<see cref="TrackedFace.Person"/>; 1 when one face is followed).</param>
/// <param name="Visual">Their visual row (<see cref="FeatureExtractionPipeline.VisualDim"/> values).</param>
/// <param name="Box">Their face box as fractions of the frame (x, y, width, height).</param>
/// <param name="Mouth">Their mouth motion since the previous frame (<see cref="MouthMotion"/>), NaN when unknown or not
/// measured (one face followed: the voice is theirs).</param>
internal sealed record LivePersonRow(int Person, float[] Visual, (float X, float Y, float Width, float Height) Box, float Mouth);

/// <summary>One frame's features as a live stream produces them.</summary>
/// <param name="Frame">The frame's index in the stream (dropped frames leave gaps).</param>
/// <param name="Time">Its time in its segment (the connection it came in), seconds: the clock its sound keeps.</param>
/// <param name="Visual">Its visual row (<see cref="FeatureExtractionPipeline.VisualDim"/> values; zeros without a face,
/// and with every face followed, where each person has their own in <see cref="Persons"/>).</param>
/// <param name="FacePresent">Whether a face was tracked.</param>
/// <param name="FaceBox">The followed face's box as fractions of the frame (x, y, width, height), or null (and null with
/// every face followed).</param>
/// <param name="Audio">Its audio row (<see cref="FeatureExtractionPipeline.AudioDim"/> values).</param>
/// <param name="AudioPresent">Whether the stream had sound at that time.</param>
/// <param name="ArrivalTimestamp"><see cref="System.Diagnostics.Stopwatch"/> time the frame arrived (for latency).</param>
internal sealed record LiveFeatureRow(int Frame, double Time, float[] Visual, bool FacePresent, (float X, float Y, float Width, float Height)? FaceBox,
    float[] Audio, bool AudioPresent, long ArrivalTimestamp)
{
    /// <summary>Every face in the frame, by person id (the one face followed, as person 1, unless every face is).</summary>
    public IReadOnlyList<LivePersonRow> Persons { get; init; } = [];

    /// <summary>The sound's loudness at the frame (<see cref="LiveLoudness"/>), for whose voice it is; NaN when not
    /// measured (no sound, or one face followed).</summary>
    public float Loudness { get; init; } = float.NaN;

    /// <summary>A small JPEG of the frame (<see cref="FrameSnapshot"/>) on every few frames, else null.</summary>
    public byte[]? Snapshot { get; init; }
}

internal sealed partial class FeatureExtractionPipeline
{
    /// <summary>Features of a live stream, one frame at a time as they become ready, with the same models and options as
    /// <see cref="Extract"/>: the tracker, the face nets on every <see cref="ExtractionOptions.FaceNetEvery"/>-th frame of
    /// a face run (the frames between hold the last row) and the audio pooled at each frame's time. With every face
    /// followed (<see cref="FaceSelection.All"/>), each person's row, box and mouth motion, and the sound's loudness for
    /// whose voice it is; every <paramref name="snapshotEvery"/>-th frame (0: none) carries a small JPEG of itself.</summary>
    /// <remarks>Per frame, not in batches: a live frame should not wait for the 31 after it. What it still waits for is
    /// the tracker's look-ahead (<paramref name="trackerHold"/> frames: it detects every hold + 1 frames, at most every
    /// <see cref="ExtractionOptions.DetectEvery"/>) and <paramref name="audioHorizonSeconds"/> of sound after its time
    /// (<see cref="AudioFeatureStream"/>). Memory is the models and those few frames, whatever the stream's length.</remarks>
    public IEnumerable<LiveFeatureRow> ExtractLive(IEnumerable<LiveFrame> frames, IEnumerable<float[]>? pcmChunks, int trackerHold,
        double audioHorizonSeconds, int snapshotEvery = 0, CancellationToken cancel = default)
    {
        var o = Options;
        ArgumentOutOfRangeException.ThrowIfNegative(trackerHold);
        bool everyone = o.Face == FaceSelection.All;
        int detectEvery = Math.Min(o.DetectEvery, trackerHold + 1);
        var trackerOptions = new FaceTrackerOptions { DetectEvery = detectEvery, Selection = o.Face };
        using var identity = NewIdentity();
        var tracker = new FaceTracker(NewDetector(), trackerOptions, identity);
        var arrivals = new Dictionary<int, long>();
        // Whose voice it is needs the sound's loudness frame by frame: tapped from the chunks the audio features read.
        var loudness = everyone && pcmChunks is not null ? new LiveLoudness() : null;
        using var audio = _audio.OpenStream(loudness is null ? pcmChunks : loudness.Tap(pcmChunks!), audioHorizonSeconds);
        // The file path's face step, one face at a time: a live frame should not wait to fill a batch.
        using var faces = new FaceStep(_visualNets);
        var slot = new FrameBatch(1, _visualNets.NeedsGray, _visualNets.NeedsRgb, _visualNets.NeedsMeshCrop);
        var people = new Dictionary<int, LivePersonState>();
        try
        {
            var tracked = tracker.Track(Frames(frames, arrivals, cancel));
            int previous = -1;
            foreach (var frame in tracked)
                using (frame)
                {
                    var persons = frame.Persons.Select(face => Person(face, frame.Frame, previous, people, faces, slot, everyone)).ToList();
                    previous = frame.Frame.Index;
                    // One face followed keeps its landmark history for the whole stream, as a file's does.
                    if (everyone)
                        Forget(people, previous, trackerOptions.ForgetAfterFrames);
                    var row = new float[AudioDim];
                    bool sound = audio.Next(frame.Frame.Timestamp, row);
                    arrivals.Remove(frame.Frame.Index, out long arrived);
                    var one = everyone ? null : persons.FirstOrDefault();
                    yield return new LiveFeatureRow(frame.Frame.Index, frame.Frame.Timestamp, one?.Visual ?? new float[VisualDim], persons.Count > 0,
                        one?.Box, row, sound, arrived)
                    {
                        Persons = persons,
                        Loudness = sound && loudness is not null ? loudness.At(frame.Frame.Timestamp) : float.NaN,
                        Snapshot = snapshotEvery > 0 && frame.Frame.Index % snapshotEvery == 0 ? FrameSnapshot.Encode(frame.Frame.Image) : null,
                    };
                }
        }
        finally
        {
            foreach (var state in people.Values)
                state.Dispose();
        }
    }

    // One person's row: the face nets on every FaceNetEvery-th frame of their face run, their last row held between.
    // A face run is broken by a frame without the face (dropped frames, which never arrived, do not break it).
    private LivePersonRow Person(TrackedFace face, VideoFrame frame, int previous, Dictionary<int, LivePersonState> people, FaceStep faces,
        FrameBatch slot, bool mouth)
    {
        if (!people.TryGetValue(face.Person, out var state))
            people[face.Person] = state = new LivePersonState(VisualDim);
        if (state.LastSeen != previous)
            state.FaceRun = 0;
        state.LastSeen = frame.Index;
        var visual = new float[VisualDim];
        if (state.FaceRun++ % Options.FaceNetEvery == 0)
        {
            faces.Pack(frame.Image, face, slot, 0);
            _visualNets.Extract(1, slot.Crops, slot.RgbCrops, slot.MeshCrops, slot.MeshRegions, [frame.Index], [state.FaceRun > 1], [state.History], visual);
            visual.CopyTo(state.Last, 0);
        }
        else
            state.Last.CopyTo(visual, 0);
        float motion = mouth ? state.Mouth.Next(frame.Image, face.Face!, frame.Index) : float.NaN;
        return new LivePersonRow(face.Person, visual, Box(face, frame.Image), motion);
    }

    // A person not seen for as long as the tracker remembers anyone is gone for good: their state goes with them.
    private static void Forget(Dictionary<int, LivePersonState> people, int frame, int after)
    {
        foreach (var (id, state) in people.Where(p => frame - p.Value.LastSeen > after).ToList())
        {
            state.Dispose();
            people.Remove(id);
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
