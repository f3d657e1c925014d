using System.Runtime.InteropServices;
using AffectFuse.Model;
using AffectFuse.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectFuse.Inference;

/// <summary>Sliding-window voting and smoothing on a live stream: frames are pushed one at a time and each becomes
/// final <see cref="Latency"/> frames after it arrived.</summary>
/// <remarks>
/// <para>Frame f is final when frame f + L arrives, and its probabilities are then exactly what the offline path
/// (<see cref="SlidingWindowPredictor.Predict(AffectFuseModel, Data.VideoFeatures, InferenceOptions)"/> then
/// <see cref="TemporalSmoothing.Smooth"/>) would give it if the stream ended at f + L: the anchored windows that have
/// ended (starts 0, S, 2S, … each evaluated when its last frame arrives) plus the window offline would add at the end
/// (the last T frames, or all of them while fewer than T have arrived), and the centred average over the frames that
/// exist. <see cref="Flush"/> ends the stream, so the frames still pending get the offline result itself.</para>
/// <para>Why it converges to offline: a frame's offline vote only involves windows that end at most T − 1 frames after
/// it, and its smoothed value only the votes of frames up to δ after it. Once L ≥ T + δ every such window has ended
/// and the trailing window of the truncated stream starts after f + δ, so it no longer touches any frame the average
/// reads: the truncated and the full stream agree on frame f. Below that, the live result differs by the windows
/// still to come (which mostly carry little weight at the frame, the Hann weights falling towards a window's edges)
/// and by the right half of the average, and the difference shrinks as L grows.</para>
/// <para>Memory is bounded by T, L and δ, never by the stream's length: the features of the last T frames (all a
/// window can read), and the vote sums of the last L + δ + 1 frames (the pending ones and the left half of the
/// oldest pending frame's average), in ring buffers allocated once.</para>
/// <para>Cost: one forward on <c>[1, T, D]</c> per S frames for the anchored windows, as offline. While L &lt; T + δ a
/// push may also evaluate the trailing window (when it is not an anchored one and reaches the frame's average), so
/// a low latency costs up to one forward per frame; with L ≥ T + δ it is never needed before <see cref="Flush"/>.
/// A push allocates no tensors besides the window it evaluates.</para>
/// </remarks>
internal sealed class CausalPredictor
{
    private const int K = ExpressionClasses.Count;

    private readonly AffectFuseModel _model;
    private readonly Device _device;
    private readonly int _window, _stride, _halfWidth, _dv, _da, _voteCapacity;
    private readonly bool _centreWeighted;
    private readonly double[] _fullWeights;
    private readonly float[] _visual, _audio;          // ring of the last T frames' features
    private readonly bool[] _visualMask, _audioMask;
    private readonly double[] _sums, _weightSums;       // ring of anchored vote sums, L + δ + 1 frames
    private readonly float[] _windowProbs;              // softmax of the latest evaluated window, [length, 8]
    private int _arrived, _finalised;
    private bool _flushed;

    /// <summary>A predictor for one stream.</summary>
    /// <param name="model">The model; put in eval mode for each window and returned to the mode it was in.</param>
    /// <param name="options">Window T, stride S, centre weighting and smoothing δ (the batch size is unused: at most one
    /// window is ever due at once).</param>
    /// <param name="lookAhead">L ≥ 0: frames to wait before a frame is final; L ≥ T + δ reproduces offline.</param>
    public CausalPredictor(AffectFuseModel model, InferenceOptions options, int lookAhead)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(lookAhead);
        options.Validate(model.Options.MaxLength);
        _model = model;
        _device = model.parameters().FirstOrDefault()?.device ?? CPU;
        (_window, _stride, _halfWidth, Latency) = (options.Window, options.Stride, options.SmoothingHalfWidth, lookAhead);
        (_dv, _da) = (model.Options.VisualDim, model.Options.AudioDim);
        _voteCapacity = checked(lookAhead + _halfWidth + 1);
        _fullWeights = SlidingWindowPredictor.WindowWeights(_window, options.CentreWeighted);
        _centreWeighted = options.CentreWeighted;
        _visual = new float[_window * _dv];
        _audio = new float[_window * _da];
        _visualMask = new bool[_window];
        _audioMask = new bool[_window];
        _sums = new double[_voteCapacity * K];
        _weightSums = new double[_voteCapacity];
        _windowProbs = new float[_window * K];
    }

    /// <summary>L: how many frames after its arrival a frame becomes final.</summary>
    public int Latency { get; }

    /// <summary>Frames pushed so far.</summary>
    public int ArrivedFrames => _arrived;

    /// <summary>Frames pushed but not yet returned as final (at most <see cref="Latency"/>, none after <see cref="Flush"/>).</summary>
    public int PendingFrames => _arrived - _finalised;

    /// <summary>Adds the next frame's features; returns the frame that became final with it (none while fewer than
    /// L + 1 frames have arrived).</summary>
    /// <param name="visual">The visual row, <c>Dv</c> wide (its values are not read by the model when absent).</param>
    /// <param name="visualPresent">True when a face was found.</param>
    /// <param name="audio">The audio row, <c>Da</c> wide.</param>
    /// <param name="audioPresent">True when audio is present.</param>
    public IReadOnlyList<CausalFrame> Push(ReadOnlySpan<float> visual, bool visualPresent, ReadOnlySpan<float> audio, bool audioPresent)
    {
        if (_flushed)
            throw new InvalidOperationException("the stream was flushed; start a new predictor");
        CheckWidth("visual", visual.Length, _dv);
        CheckWidth("audio", audio.Length, _da);
        Store(visual, visualPresent, audio, audioPresent);
        int n = _arrived;
        if (n >= _window && (n - _window) % _stride == 0)
            AddAnchored(n - _window);
        int f = n - 1 - Latency;
        if (f < 0)
            return [];
        var trailing = TrailingWindow(lastNeeded: f + _halfWidth);
        return [FinaliseNext(trailing)];
    }

    /// <summary>Ends the stream: evaluates the window offline would add at the end (when the stride leaves a remainder,
    /// or the one short window of a stream shorter than T) and returns every pending frame, in order.</summary>
    public IReadOnlyList<CausalFrame> Flush()
    {
        if (_flushed)
            return [];
        _flushed = true;
        if (PendingFrames == 0)
            return [];
        var trailing = TrailingWindow(lastNeeded: int.MaxValue);
        var frames = new List<CausalFrame>(PendingFrames);
        while (_finalised < _arrived)
            frames.Add(FinaliseNext(trailing));
        return frames;
    }

    private static void CheckWidth(string modality, int actual, int expected)
    {
        if (actual != expected)
            throw new ArgumentException($"{modality} row is {actual} wide but the model expects {expected}", modality);
    }

    private void Store(ReadOnlySpan<float> visual, bool visualPresent, ReadOnlySpan<float> audio, bool audioPresent)
    {
        int slot = _arrived % _window;
        visual.CopyTo(_visual.AsSpan(slot * _dv, _dv));
        audio.CopyTo(_audio.AsSpan(slot * _da, _da));
        _visualMask[slot] = visualPresent;
        _audioMask[slot] = audioPresent;
        // The vote slot now belongs to the new frame; its previous owner is older than any average still to compute.
        int voteSlot = _arrived % _voteCapacity;
        _sums.AsSpan(voteSlot * K, K).Clear();
        _weightSums[voteSlot] = 0;
        _arrived++;
    }

    /// <summary>An anchored window's votes go into the sums for good; frames too old to be read again are skipped.</summary>
    private void AddAnchored(int start)
    {
        Evaluate(start, _window);
        int oldest = _arrived - _voteCapacity;
        for (int j = 0; j < _window; j++)
        {
            int frame = start + j;
            if (frame < oldest)
                continue;
            int slot = frame % _voteCapacity;
            double w = _fullWeights[j];
            _weightSums[slot] += w;
            for (int c = 0; c < K; c++)
                _sums[slot * K + c] += w * _windowProbs[j * K + c];
        }
    }

    /// <summary>The window offline would end a stream of the frames so far with, evaluated into <see cref="_windowProbs"/>;
    /// null when it is an anchored one (already in the sums) or starts after <paramref name="lastNeeded"/>.</summary>
    private Trailing? TrailingWindow(int lastNeeded)
    {
        int n = _arrived;
        bool shortStream = n < _window;
        int start = shortStream ? 0 : n - _window, length = shortStream ? n : _window;
        if ((!shortStream && start % _stride == 0) || start > lastNeeded)
            return null;
        Evaluate(start, length);
        var weights = shortStream ? SlidingWindowPredictor.WindowWeights(length, _centreWeighted) : _fullWeights;
        return new Trailing(start, weights);
    }

    private CausalFrame FinaliseNext(Trailing? trailing)
    {
        int f = _finalised++;
        int lo = Math.Max(0, f - _halfWidth), hi = Math.Min(_arrived - 1, f + _halfWidth);
        Span<double> total = stackalloc double[K];
        for (int g = lo; g <= hi; g++)
            AddVote(g, trailing, total);
        var probabilities = new float[K];
        for (int c = 0; c < K; c++)
            probabilities[c] = (float)(total[c] / (hi - lo + 1));
        return new CausalFrame(f, probabilities);
    }

    /// <summary>Adds frame <paramref name="frame"/>'s voted probabilities to <paramref name="total"/>, rounded to float as
    /// offline rounds them before smoothing, and summed in offline's order (the trailing window last).</summary>
    private void AddVote(int frame, Trailing? trailing, Span<double> total)
    {
        int slot = frame % _voteCapacity;
        double weightSum = _weightSums[slot];
        int j = -1;
        double w = 0;
        if (trailing is { } t && frame >= t.Start)
            (j, w) = (frame - t.Start, t.Weights[frame - t.Start]);
        for (int c = 0; c < K; c++)
        {
            double sum = _sums[slot * K + c];
            if (j >= 0)
                sum += w * _windowProbs[j * K + c];
            total[c] += (float)(sum / (j >= 0 ? weightSum + w : weightSum));
        }
    }

    /// <summary>Softmax of the model over frames <paramref name="start"/>.. of the feature ring, into <see cref="_windowProbs"/>.</summary>
    private void Evaluate(int start, int length)
    {
        bool wasTraining = _model.training;
        _model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var (v, mv, a, ma) = WindowTensors(start, length);
            var logits = _model.forward(v, mv, a, ma);
            if (logits.ndim != 3 || logits.shape[0] != 1 || logits.shape[1] != length || logits.shape[2] != K)
                throw new InvalidOperationException($"model returned logits of shape [{string.Join(",", logits.shape)}], expected [1,{length},{K}]");
            var probs = torch.nn.functional.softmax(logits.to_type(ScalarType.Float32), -1).cpu().contiguous();
            MemoryMarshal.Cast<byte, float>(probs.bytes)[..(length * K)].CopyTo(_windowProbs);
        }
        finally
        {
            if (wasTraining)
                _model.train();
        }
    }

    private (Tensor Visual, Tensor VisualMask, Tensor Audio, Tensor AudioMask) WindowTensors(int start, int length)
    {
        var visual = HostTensor.Empty<float>([1, length, _dv], out var v);
        var visualMask = HostTensor.Empty<bool>([1, length], out var mv);
        var audio = HostTensor.Empty<float>([1, length, _da], out var a);
        var audioMask = HostTensor.Empty<bool>([1, length], out var ma);
        for (int j = 0; j < length; j++)
        {
            int slot = (start + j) % _window;
            _visual.AsSpan(slot * _dv, _dv).CopyTo(v.Slice(j * _dv, _dv));
            _audio.AsSpan(slot * _da, _da).CopyTo(a.Slice(j * _da, _da));
            mv[j] = _visualMask[slot];
            ma[j] = _audioMask[slot];
        }
        return (OnDevice(visual), OnDevice(visualMask), OnDevice(audio), OnDevice(audioMask));
    }

    private Tensor OnDevice(Tensor host) => _device.type == DeviceType.CPU ? host : host.to(_device);

    private readonly record struct Trailing(int Start, double[] Weights);
}
