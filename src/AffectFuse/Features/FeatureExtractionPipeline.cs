using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using AffectFuse.Audio;
using AffectFuse.Data;
using AffectFuse.Decoding;
using AffectFuse.Faces;
using AffectFuse.Faces.Nets.FaceApi;
using AffectFuse.IO;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.Faces.Nets.MediaPipe;
using AffectFuse.Setup;
using OpenCvSharp;
using TorchSharp;

namespace AffectFuse.Features;

/// <summary>Video file → <see cref="VideoFeatures"/>: visual rows of the chosen <see cref="VisualFeatureGroups"/> (the face
/// nets on the tracked, aligned face) with the face mask, audio rows of the chosen <see cref="AudioFeatureGroups"/> pooled at
/// each frame's time with the audio mask, the decoder's timestamps and provenance (the groups recorded in the meta). A file
/// with sound and no video stream gets the audio rows alone, at <see cref="AudioOnlyFrames"/>' times. Loads the models once;
/// extract videos one at a time.</summary>
/// <remarks>
/// For a video, three stages run at once on dedicated threads, joined by bounded channels of pooled <see cref="FrameBatch"/>es:
/// <list type="number">
/// <item>decode (OpenCV's FFmpeg, on its own thread a few frames ahead: <see cref="FrameReadAhead"/>) → detect/track →
/// align (BlazeFace on ONNX Runtime);</item>
/// <item>the face nets on each batch's face crops (TorchSharp, <see cref="ExtractionOptions.BackboneThreads"/>), every
/// <see cref="ExtractionOptions.FaceNetEvery"/>-th frame of a face run, the frames between holding the last row;</item>
/// <item>audio features for each batch's timestamps, in order (reading PCM lazily from an ffmpeg process, which
/// decodes in its own process).</item>
/// </list>
/// Memory is the models, a fixed number of batches and decoded frames, and the per-frame output arrays; nothing
/// else grows with the video's length. A stage's failure cancels the others and is rethrown.
/// </remarks>
internal sealed partial class FeatureExtractionPipeline : IDisposable
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
    // About every 1,000 frames: after a trim the next batch's activations (up to ~100 MiB for face-api at batch 32)
    // page-fault in anew, tens of ms on a VM; rarely enough to cost little, often enough to keep memory flat.
    private const int TrimEveryBatches = 32;

    private readonly BlazeFaceDetector? _back, _front;
    // Who is who when every face is followed (the tracker asks it when a person is first seen, now and then, and for a
    // face that may be someone lost); not loaded otherwise.
    private readonly FaceRecognitionNet? _identityNet;
    private readonly VisualFeatureExtractor _visualNets;
    private readonly AudioFeatureExtractor _audio;
    private readonly AudioDecoder _audioDecoder;

    /// <summary>Loads the face detector and the models of the chosen feature groups from <see cref="ExtractionOptions.ModelsRoot"/>.</summary>
    public FeatureExtractionPipeline(ExtractionOptions? options = null, AudioDecoder? audioDecoder = null)
    {
        Options = options ?? new ExtractionOptions();
        Options.Validate();
        NativeHeap.Configure();
        var store = ModelStore.Open(Options.ModelsRoot);
        _audioDecoder = audioDecoder ?? new AudioDecoder();
        try
        {
            if (Options.Detector != FaceDetectorChoice.Front)
                _back = new BlazeFaceDetector(new BlazeFaceOptions { Model = BlazeFaceModel.Back, ModelPath = store.BlazeFaceBack });
            if (Options.Detector is FaceDetectorChoice.Front or FaceDetectorChoice.Region
                || (Options.Detector == FaceDetectorChoice.Auto && Options.Face is FaceSelection.Largest or FaceSelection.All))
                _front = new BlazeFaceDetector(new BlazeFaceOptions { Model = BlazeFaceModel.Front, ModelPath = store.BlazeFaceFront });
            if (Options.Face == FaceSelection.All)
                _identityNet = FaceRecognitionNet.Open(store);
            _visualNets = new VisualFeatureExtractor(store, Options.Visual);
            _audio = AudioFeatureExtractor.Open(store, new AudioFeatureOptions { HalfWindowSeconds = Options.AudioHalfWindowSeconds, Groups = Options.Audio });
        }
        catch
        {
            _back?.Dispose();
            _front?.Dispose();
            _identityNet?.Dispose();
            _visualNets?.Dispose();
            throw;
        }
    }

    /// <summary>Settings in force.</summary>
    public ExtractionOptions Options { get; }

    /// <summary>Timing of the last <see cref="Extract"/> call (null before the first).</summary>
    public ExtractionStatistics? LastStatistics { get; private set; }

    /// <summary>Visual feature width Dv.</summary>
    public int VisualDim => _visualNets.Width;

    /// <summary>What the audio rows pool (the extraction options' half-window and groups).</summary>
    public AudioFeatureOptions AudioOptions => _audio.Options;

    /// <summary>Audio feature width Da.</summary>
    public int AudioDim => AudioFeatureSets.Width(Options.Audio);

    /// <summary>Extracts the features of one video, or of one audio file (<see cref="AudioOnlyFrames"/>: face absent). Which
    /// of the two a file is, its streams decide, as FFmpeg sees them, not its name. A file that is not a readable video or
    /// audio file, holds neither stream, or whose audio cannot be decoded, is an <see cref="AffectFuseException"/> naming it.
    /// <paramref name="progress"/> is reported on the calling thread a few times a second.</summary>
    public VideoFeatures Extract(string videoPath, IProgress<ExtractionProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ExtractPeople(videoPath, progress, cancellationToken).MaxBy(p => p.VisualMask.Count(present => present))!;

    /// <summary>As <see cref="Extract"/>, for every person when <see cref="ExtractionOptions.Face"/> is
    /// <see cref="FaceSelection.All"/>: one <see cref="VideoFeatures"/> per person seen for at least
    /// <see cref="ExtractionOptions.MinPersonFrames"/> frames, ordered by id, each with its boxes and its share of the voice
    /// (<see cref="VoiceAttribution"/>; the audio arrays are shared, not copied). A video where no one is seen long enough
    /// gives one entry without a face; so does an audio file. With one face followed, one entry.</summary>
    public IReadOnlyList<VideoFeatures> ExtractPeople(string videoPath, IProgress<ExtractionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var streams = _audioDecoder.Probe(videoPath);
        IReadOnlyList<VideoFeatures> people = streams switch
        {
            { HasVideo: true } => ExtractVideo(streams, progress, clock, cancellationToken),
            { HasAudio: true } => [ExtractAudioOnly(streams, progress, clock, cancellationToken)],
            _ => throw new AffectFuseException(videoPath, "holds neither a video nor an audio stream"),
        };
        NativeHeap.Trim();
        if (Options.RequireAllFrames && LastStatistics!.Shortfall is { } shortfall)
            throw new AffectFuseException(videoPath, shortfall);
        return people;
    }

    private IReadOnlyList<VideoFeatures> ExtractVideo(MediaStreams streams, IProgress<ExtractionProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        List<(VideoFeatures Features, float[] Mouth)> people;
        using (var decoder = VideoDecoder.Open(streams.Path, new DecodeOptions
        {
            MaxSize = Options.MaxFrameSize,
            DecoderThreads = Options.DecoderThreads,
            // The tracker holds up to DetectEvery frames and the read-ahead its own; a few more cover the frame being
            // decoded and the one aligned.
            PoolSize = Options.DetectEvery + FrameReadAhead.Capacity + 4,
        }))
        using (var pcm = streams.HasAudio ? _audioDecoder.Decode(streams.Path) : null)
        {
            using var run = new Run(this, decoder, pcm, cancellationToken);
            people = run.Execute(progress, clock);
            LastStatistics = run.Statistics(clock.Elapsed.TotalSeconds, people[0].Features);
        }
        if (people.Count >= 2 && streams.HasAudio)
            return WithVoiceShares(streams.Path, people);
        return [.. people.Select(p => p.Features)];
    }

    // A second pass over the sound (its loudness frame by frame) to tell whose mouth moves with it.
    private List<VideoFeatures> WithVoiceShares(string path, List<(VideoFeatures Features, float[] Mouth)> people)
    {
        float[] loudness;
        using (var pcm = _audioDecoder.Decode(path))
            loudness = LoudnessEnvelope.At(pcm, people[0].Features.Timestamps);
        var shares = VoiceAttribution.Shares([.. people.Select(p => p.Mouth)], [.. people.Select(p => p.Features.VisualMask)], loudness);
        return [.. people.Select((p, i) => p.Features.WithVoiceShare(shares[i]))];
    }

    // One file's features as the feature file holds them: its id, the rows, and the groups that made them.
    private VideoFeatures Assemble(string path, FeatureMatrix visual, bool[] visualMask, FeatureMatrix audio, bool[] audioMask, double[] timestamps,
        double fps, int? person = null, float[]? boxes = null) => new()
    {
        VideoId = AffWild2Layout.VideoIdFor(path, Options.Face),
        Person = person,
        Boxes = boxes,
        Visual = visual,
        VisualMask = visualMask,
        Audio = audio,
        AudioMask = audioMask,
        Timestamps = timestamps,
        Meta = new FeatureMeta
        {
            Fps = fps,
            VisualFeatures = VisualFeatureLayout.Name(Options.Visual),
            VisualVersion = VisualFeatureLayout.Version(Options.Visual),
            AudioFeatures = AudioFeatureSets.Name(Options.Audio),
            AudioVersion = AudioFeatureSets.Version(Options.Audio),
        },
    };

    // Per tracker (it keeps crops): the descriptor net is shared.
    private FaceIdentity? NewIdentity() => _identityNet is null ? null : new FaceIdentity(_identityNet);

    // The adaptive and region detectors keep per-video state (which model last found the face, where), so each video
    // gets a fresh one.
    private IFaceDetector NewDetector() => (_back, _front) switch
    {
        ({ } back, { } front) when Options.Detector == FaceDetectorChoice.Region => new RegionFaceDetector(back, front, everyFace: Options.Face == FaceSelection.All),
        ({ } back, { } front) => new AdaptiveFaceDetector(back, front, everyFace: Options.Face == FaceSelection.All),
        ({ } back, null) => back,
        (null, { } front) => front,
        _ => throw new InvalidOperationException("no face detector loaded"),
    };

    /// <summary>Releases the models.</summary>
    public void Dispose()
    {
        _back?.Dispose();
        _front?.Dispose();
        _identityNet?.Dispose();
        _visualNets.Dispose();
        _audio.Dispose();
    }

    /// <summary>The state of one extraction: channels, output buffers and the three stages.</summary>
    private sealed class Run : IDisposable
    {
        private readonly FeatureExtractionPipeline _owner;
        private readonly VideoDecoder _decoder;
        private readonly AudioPcmReader? _pcm;
        private readonly CancellationTokenSource _cancel;
        private readonly CancellationToken _external;
        private readonly Channel<FrameBatch> _free, _toBackbone, _toAudio;
        private readonly RowBuffer<double> _timestamps;
        private readonly RowBuffer<bool> _audioMask;
        private readonly RowBuffer<float> _audio;
        // The followed face (one person from frame 0), or every person as they appear (FaceSelection.All).
        private readonly PersonRows? _single;
        private readonly List<PersonRows> _persons = [];
        private readonly Stopwatch _decodeWait = new(), _backboneWait = new(), _audioWait = new();
        private readonly Stopwatch _decodeClock = new(), _backboneClock = new(), _audioClock = new();
        private readonly StageProfile _profile = new();
        private int _frames, _faces, _visualDone, _audioDone, _detectorRuns;
        private double _decoderBusy;

        public Run(FeatureExtractionPipeline owner, VideoDecoder decoder, AudioPcmReader? pcm, CancellationToken cancellationToken)
        {
            _owner = owner;
            _decoder = decoder;
            _pcm = pcm;
            _external = cancellationToken;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var o = owner.Options;
            _free = Channel.CreateBounded<FrameBatch>(o.BatchesInFlight);
            _toBackbone = Channel.CreateBounded<FrameBatch>(new BoundedChannelOptions(o.BatchesInFlight) { SingleReader = true, SingleWriter = true });
            _toAudio = Channel.CreateBounded<FrameBatch>(new BoundedChannelOptions(o.BatchesInFlight) { SingleReader = true, SingleWriter = true });
            for (int i = 0; i < o.BatchesInFlight; i++)
                _free.Writer.TryWrite(new FrameBatch(o.BackboneBatchSize, owner._visualNets.NeedsGray, owner._visualNets.NeedsRgb, owner._visualNets.NeedsMeshCrop));

            // Sized from the container's count so that usually the arrays are allocated once and handed out uncopied.
            int expected = decoder.Info.FrameCountEstimate ?? 1024;
            _timestamps = new RowBuffer<double>(1, expected);
            _audioMask = new RowBuffer<bool>(1, expected);
            _audio = new RowBuffer<float>(owner.AudioDim, expected);
            if (o.Face != FaceSelection.All)
                _persons.Add(_single = new PersonRows(1, 0, owner.VisualDim, expected));
        }

        /// <summary>Runs the stages; returns each person's features (one when a single face is followed) with their mouth
        /// motion (empty when a single face is followed).</summary>
        public List<(VideoFeatures Features, float[] Mouth)> Execute(IProgress<ExtractionProgress>? progress, Stopwatch clock)
        {
            var stages = new[]
            {
                Start("affectfuse-decode", DecodeStage, _toBackbone.Writer, _toAudio.Writer),
                Start("affectfuse-cnn", BackboneStage),
                Start("affectfuse-audio", AudioStage),
            };
            try
            {
                while (!Task.WaitAll(stages, ProgressInterval))
                    Report(progress, clock);
            }
            catch (AggregateException e)
            {
                // Stages stopped by another's failure return quietly, so what is left is the root cause.
                ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]);
            }
            Report(progress, clock);
            return People(_frames);
        }

        // Each person's features over the video's n frames, sharing the sound and the times.
        private List<(VideoFeatures Features, float[] Mouth)> People(int n)
        {
            double[] timestamps = _timestamps.ToArray(n);
            var audio = FeatureMatrix.Of(_audio.ToArray(n), _owner.AudioDim);
            var audioMask = _audioMask.ToArray(n);
            double fps = _decoder.Info.NominalFps > 0 ? _decoder.Info.NominalFps : FeatureFile.EstimateFps(timestamps);
            var people = new List<(VideoFeatures, float[])>();
            // A face seen for less than MinPersonFrames is a false detection or a passer-by, not a person to label.
            foreach (var rows in _persons.Where(r => _single is not null || r.FramesPresent >= _owner.Options.MinPersonFrames))
            {
                var features = _owner.Assemble(_decoder.Info.Path, FeatureMatrix.Of(rows.VisualOver(n), _owner.VisualDim), rows.MaskOver(n),
                    audio, audioMask, timestamps, fps, _single is null ? rows.Person : null, rows.BoxesOver(n));
                people.Add((features, _single is null ? rows.MouthOver(n) : []));
            }
            if (people.Count == 0)
            {
                var boxes = new float[n * 4];
                boxes.AsSpan().Fill(float.NaN);
                people.Add((_owner.Assemble(_decoder.Info.Path, FeatureMatrix.Zeros(n, _owner.VisualDim), new bool[n], audio, audioMask, timestamps,
                    fps, boxes: boxes), []));
            }
            return people;
        }

        /// <summary>Releases every person's patches and the stages' cancellation source.</summary>
        public void Dispose()
        {
            foreach (var rows in _persons)
                rows.Dispose();
            _cancel.Dispose();
        }

        public ExtractionStatistics Statistics(double wallSeconds, VideoFeatures features)
        {
            double[] t = features.Timestamps;
            double duration = t.Length == 0 ? 0 : t.Length == 1 ? 1 / features.Meta.Fps : (t[^1] - t[0]) * t.Length / (t.Length - 1);
            static double Busy(Stopwatch total, Stopwatch waiting) => Math.Max(0, total.Elapsed.TotalSeconds - waiting.Elapsed.TotalSeconds);
            return new ExtractionStatistics(features.FrameCount, _faces, _detectorRuns, duration, wallSeconds,
                Busy(_decodeClock, _decodeWait), Busy(_backboneClock, _backboneWait), Busy(_audioClock, _audioWait))
            {
                DecoderBusySeconds = _decoderBusy,
                FramesDeclared = _decoder.Info.FrameCountEstimate,
                SkippedStretches = [.. _decoder.SkippedStretches],
                Profile = _profile,
            };
        }

        private void Report(IProgress<ExtractionProgress>? progress, Stopwatch clock)
        {
            if (progress is null)
                return;
            int done = Math.Min(Volatile.Read(ref _visualDone), Volatile.Read(ref _audioDone));
            var elapsed = clock.Elapsed;
            progress.Report(new ExtractionProgress(_decoder.Info.Path, done, _decoder.Info.FrameCountEstimate,
                done / Math.Max(elapsed.TotalSeconds, 1e-9), elapsed));
        }

        // A dedicated thread per stage (LongRunning): each keeps its own Torch/OpenMP settings and never hops threads.
        private Task Start(string name, Action body, params ChannelWriter<FrameBatch>[] outputs) =>
            Task.Factory.StartNew(() =>
            {
                Thread.CurrentThread.Name ??= name;
                try
                {
                    body();
                    foreach (var w in outputs)
                        w.TryComplete();
                }
                catch (Exception e)
                {
                    foreach (var w in outputs)
                        w.TryComplete(e);
                    _cancel.Cancel();
                    // A stage stopped by another stage's failure reports nothing of its own.
                    if (e is OperationCanceledException && !_external.IsCancellationRequested)
                        return;
                    throw;
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        private void DecodeStage()
        {
            _decodeClock.Start();
            var ct = _cancel.Token;
            var o = _owner.Options;
            using var identity = _owner.NewIdentity();
            var tracker = new FaceTracker(new ProfiledFaceDetector(_owner.NewDetector(), _profile),
                new FaceTrackerOptions { DetectEvery = o.DetectEvery, Selection = o.Face }, identity);
            using var faces = new FaceStep(_owner._visualNets);
            var byId = new Dictionary<int, PersonRows>();
            List<PersonRows> present = [], before = [];
            FrameBatch? batch = null;
            var decoding = new FrameReadAhead(_profile.Timed(_decoder.ReadFrames(), ProfiledStage.Decode), ct);
            try
            {
                var tracked = tracker.Track(decoding.Frames(_decodeWait));
                foreach (var frame in _profile.Timed(tracked, ProfiledStage.Track, ProfiledStage.Detect))
                {
                    using (frame)
                    {
                        ct.ThrowIfCancellationRequested();
                        if (batch is not null && !batch.HasRoomFor(frame.Persons.Count))
                        {
                            Send(batch, ct);
                            batch = null;
                        }
                        batch ??= NextBatch(ct);
                        int index = _frames;
                        _timestamps.EnsureRows(index + 1);
                        _timestamps[index] = frame.Frame.Timestamp;
                        (before, present) = (present, before);
                        present.Clear();
                        foreach (var face in frame.Persons)
                        {
                            var rows = RowsOf(face.Person, index, byId);
                            present.Add(rows);
                            rows.Present(index, true);
                            faces.Add(frame.Frame, face, rows, index, batch, _profile, o.FaceNetEvery, _single is null);
                            _faces++;
                        }
                        // A face that is gone ends its run: the next time it is seen, the nets see it first.
                        foreach (var rows in before)
                            if (!present.Contains(rows))
                                rows.FaceRun = 0;
                        if (_single is not null && present.Count == 0)
                            _single.Present(index, false);
                        batch.Timestamps[batch.Count++] = frame.Frame.Timestamp;
                        Volatile.Write(ref _frames, index + 1);
                        if (batch.IsFull)
                        {
                            Send(batch, ct);
                            batch = null;
                        }
                    }
                }
                if (batch is { Count: > 0 })
                    Send(batch, ct);
                batch = null;
            }
            finally
            {
                decoding.Dispose();
                _decoderBusy = decoding.BusySeconds;
                _detectorRuns = tracker.DetectorRuns;
                _decodeClock.Stop();
            }
        }

        private FrameBatch NextBatch(CancellationToken ct)
        {
            if (!BlockingChannel.TryRead(_free.Reader, out var batch, _decodeWait, ct))
                throw new InvalidOperationException("frame batch pool closed");
            batch.Reset(_frames);
            return batch;
        }

        // The followed face's rows, or a person's (made when they first appear; the list is read once the stages have ended).
        private PersonRows RowsOf(int person, int frame, Dictionary<int, PersonRows> byId)
        {
            if (_single is not null)
                return _single;
            if (!byId.TryGetValue(person, out var rows))
            {
                byId[person] = rows = new PersonRows(person, frame, _owner.VisualDim, 256);
                _persons.Add(rows);
            }
            return rows;
        }

        private void Send(FrameBatch batch, CancellationToken ct)
        {
            batch.Share(2);
            BlockingChannel.Write(_toBackbone.Writer, batch, _decodeWait, ct);
            BlockingChannel.Write(_toAudio.Writer, batch, _decodeWait, ct);
        }

        private void Release(FrameBatch batch)
        {
            if (batch.Release())
                _free.Writer.TryWrite(batch); // never full: the pool's capacity is the number of batches
        }

        private void BackboneStage()
        {
            _backboneClock.Start();
            var ct = _cancel.Token;
            // Intra-op threads are per OS thread in libtorch's OpenMP build: set them on the thread that runs the CNN.
            torch.set_num_threads(_owner.Options.BackboneThreads);
            var features = new float[_owner.Options.BackboneBatchSize * _owner.VisualDim];
            var histories = new LandmarkHistory[_owner.Options.BackboneBatchSize];
            int batches = 0;
            try
            {
                while (BlockingChannel.TryRead(_toBackbone.Reader, out var batch, _backboneWait, ct))
                {
                    int end = batch.Start + batch.Count;
                    if (batch.FaceCount > 0)
                        RunVisualNets(batch, features, histories);
                    CopyHeld(batch);
                    Release(batch);
                    if (++batches % TrimEveryBatches == 0)
                        NativeHeap.Trim();
                    Volatile.Write(ref _visualDone, end);
                }
            }
            finally
            {
                _backboneClock.Stop();
            }
        }

        private void RunVisualNets(FrameBatch batch, float[] features, LandmarkHistory[] histories)
        {
            int n = batch.FaceCount, width = _owner.VisualDim;
            for (int k = 0; k < n; k++)
                histories[k] = batch.FacePersons[k].History;
            _owner._visualNets.Extract(n, batch.Crops, batch.RgbCrops, batch.MeshCrops, batch.MeshRegions, batch.FaceFrames.AsSpan(0, n),
                batch.Continues.AsSpan(0, n), histories.AsSpan(0, n), features, _profile);
            for (int k = 0; k < n; k++)
            {
                var rows = batch.FacePersons[k];
                int row = rows.Row(batch.FaceFrames[k]);
                rows.Visual.EnsureRows(row + 1);
                features.AsSpan(k * width, width).CopyTo(rows.Visual.Row(row));
            }
        }

        // Each held frame takes its person's row of the last frame the nets saw before it (in this batch or an earlier one).
        private static void CopyHeld(FrameBatch batch)
        {
            int k = 0;
            for (int h = 0; h < batch.HeldCount; h++)
            {
                int frame = batch.HeldFrames[h];
                for (; k < batch.FaceCount && batch.FaceFrames[k] < frame; k++)
                    batch.FacePersons[k].LastComputed = batch.FaceFrames[k];
                var rows = batch.HeldPersons[h];
                int row = rows.Row(frame);
                rows.Visual.EnsureRows(row + 1);
                rows.Visual.Row(rows.Row(rows.LastComputed)).CopyTo(rows.Visual.Row(row));
            }
            for (; k < batch.FaceCount; k++)
                batch.FacePersons[k].LastComputed = batch.FaceFrames[k];
        }

        private void AudioStage()
        {
            _audioClock.Start();
            var ct = _cancel.Token;
            try
            {
                using var stream = _owner._audio.OpenStream(_pcm?.ReadChunks(_owner._audio.Options.DecoderChunkSamples), profile: _profile);
                while (BlockingChannel.TryRead(_toAudio.Reader, out var batch, _audioWait, ct))
                {
                    int end = batch.Start + batch.Count;
                    _audio.EnsureRows(end);
                    _audioMask.EnsureRows(end);
                    for (int i = 0; i < batch.Count; i++)
                    {
                        int t = batch.Start + i;
                        _audioMask[t] = stream.Next(batch.Timestamps[i], _audio.Row(t));
                    }
                    Release(batch);
                    Volatile.Write(ref _audioDone, end);
                    ct.ThrowIfCancellationRequested();
                }
            }
            finally
            {
                _audioClock.Stop();
            }
        }
    }
}
