using System.Runtime.InteropServices;
using AffectFuse.Setup;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace AffectFuse.Faces;

/// <summary>MediaPipe BlazeFace run with ONNX Runtime: letterboxes a frame to the model's square input, decodes the
/// 896 anchor outputs into boxes and six key points, and merges overlaps with NMS. Not thread-safe (it reuses
/// its buffers); use one instance per thread.</summary>
internal sealed class BlazeFaceDetector : IFaceDetector, IDisposable
{
    private const int Coords = 16; // box (cx, cy, w, h) + 6 key points (x, y)
    private const float ScoreClip = 100; // MediaPipe clips logits before the sigmoid

    private readonly BlazeFaceOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly int _size;
    private readonly float[] _anchors;
    private readonly float[] _input;
    private readonly Mat _inputMat;
    private readonly Mat _letterbox;
    private readonly Mat _rgb = new();
    private readonly float[][] _outputs;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int[] _layerAnchors;
    private readonly float _minLogit;
    private GCHandle _inputPin;
    private Size _lastFrameSize;
    private Rect _content;
    private float _scale;

    /// <summary>Loads the model; throws <see cref="AffectFuseException"/> naming the file if it is missing or not a BlazeFace network.</summary>
    public BlazeFaceDetector(BlazeFaceOptions? options = null)
    {
        _options = options ??= new BlazeFaceOptions();
        options.Validate();
        string path = options.ModelPath ?? (options.Model == BlazeFaceModel.Back
            ? ModelStore.Open(options.ModelsRoot).BlazeFaceBack
            : ModelStore.Open(options.ModelsRoot).BlazeFaceFront);
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            _session = new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new AffectFuseException(path, $"not a loadable ONNX model: {e.Message}", e);
        }

        var input = _session.InputMetadata.Single();
        int[] dims = input.Value.Dimensions;
        if (dims.Length != 4 || dims[1] != dims[2] || dims[3] != 3)
            throw new AffectFuseException(path, $"expected an NHWC [1,S,S,3] input, found [{string.Join(",", dims)}]");
        _size = dims[1];
        int[] strides = _size == 128 ? BlazeFaceAnchors.FrontStrides : BlazeFaceAnchors.BackStrides;
        _anchors = BlazeFaceAnchors.Generate(_size, strides);

        // Outputs come per feature map: scores [1,512,1], [1,384,1] then regressors [1,512,16], [1,384,16].
        var outputs = _session.OutputMetadata.ToList();
        var scoreOuts = outputs.Where(o => o.Value.Dimensions[^1] == 1).ToList();
        var boxOuts = outputs.Where(o => o.Value.Dimensions[^1] == Coords).ToList();
        _layerAnchors = scoreOuts.Select(o => o.Value.Dimensions[1]).ToArray();
        if (scoreOuts.Count == 0 || scoreOuts.Count != boxOuts.Count
            || !_layerAnchors.SequenceEqual(boxOuts.Select(o => o.Value.Dimensions[1]))
            || _layerAnchors.Sum() * 2 != _anchors.Length)
            throw new AffectFuseException(path, $"outputs do not match BlazeFace's {_anchors.Length / 2} anchors for a {_size}x{_size} input");
        _outputNames = scoreOuts.Concat(boxOuts).Select(o => o.Key).ToArray();
        _outputs = scoreOuts.Select(o => new float[o.Value.Dimensions[1]])
            .Concat(boxOuts.Select(o => new float[o.Value.Dimensions[1] * Coords])).ToArray();
        _outputValues = _outputNames.Select((_, i) => OrtValue.CreateTensorValueFromMemory(_outputs[i],
            i < scoreOuts.Count ? [1, _outputs[i].Length, 1] : [1, _outputs[i].Length / Coords, Coords])).ToArray();

        _input = new float[_size * _size * 3];
        _inputPin = GCHandle.Alloc(_input, GCHandleType.Pinned);
        _inputMat = Mat.FromPixelData(_size, _size, MatType.CV_32FC3, _inputPin.AddrOfPinnedObject());
        _inputNames = [input.Key];
        _inputValues = [OrtValue.CreateTensorValueFromMemory(_input, [1, _size, _size, 3])];
        _letterbox = new Mat(_size, _size, MatType.CV_8UC3, Scalar.All(0));
        _minLogit = Logit(Math.Clamp(options.MinScore, 1e-6f, 1 - 1e-6f));
    }

    /// <summary>The model's square input side (256 or 128).</summary>
    public int InputSize => _size;

    /// <summary>Number of anchors (896 for both shipped models).</summary>
    public int AnchorCount => _anchors.Length / 2;

    /// <inheritdoc />
    public IReadOnlyList<FaceDetection> Detect(Mat bgr)
    {
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3)
            throw new ArgumentException("expected a non-empty BGR CV_8UC3 image", nameof(bgr));
        Preprocess(bgr);
        _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);
        var candidates = DecodeCandidates();
        return _options.WeightedNms
            ? NonMaxSuppression.Weighted(candidates, _options.IouThreshold)
            : NonMaxSuppression.Hard(candidates, _options.IouThreshold);
    }

    // Letterbox (aspect kept, centred, black bars) into the square input, as MediaPipe's FIT mode does,
    // then RGB scaled to [-1, 1] straight into the pinned tensor buffer.
    private void Preprocess(Mat bgr)
    {
        if (bgr.Size() != _lastFrameSize)
        {
            _lastFrameSize = bgr.Size();
            _scale = (float)_size / Math.Max(bgr.Width, bgr.Height);
            int w = Math.Clamp((int)Math.Round(bgr.Width * _scale), 1, _size);
            int h = Math.Clamp((int)Math.Round(bgr.Height * _scale), 1, _size);
            _content = new Rect((_size - w) / 2, (_size - h) / 2, w, h);
            _letterbox.SetTo(Scalar.All(0));
        }
        using (var roi = new Mat(_letterbox, _content))
            Cv2.Resize(bgr, roi, _content.Size, 0, 0, _scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        Cv2.CvtColor(_letterbox, _rgb, ColorConversionCodes.BGR2RGB);
        _rgb.ConvertTo(_inputMat, MatType.CV_32FC3, 2.0 / 255, -1);
    }

    private List<FaceDetection> DecodeCandidates()
    {
        var found = new List<FaceDetection>();
        int layers = _layerAnchors.Length, anchor = 0;
        float s = _size;
        for (int layer = 0; layer < layers; layer++)
        {
            float[] scores = _outputs[layer], raw = _outputs[layers + layer];
            for (int i = 0; i < scores.Length; i++, anchor++)
            {
                float logit = Math.Clamp(scores[i], -ScoreClip, ScoreClip);
                if (logit < _minLogit)
                    continue;
                float ax = _anchors[2 * anchor], ay = _anchors[2 * anchor + 1];
                int o = i * Coords;
                // Regressors are in input pixels relative to the anchor centre (anchors have unit size).
                float cx = raw[o] / s + ax, cy = raw[o + 1] / s + ay, w = raw[o + 2] / s, h = raw[o + 3] / s;
                var box = new Rect2f(ToFrameX(cx - w / 2), ToFrameY(cy - h / 2), w * s / _scale, h * s / _scale);
                var points = new Point2f[FaceDetection.KeypointCount];
                for (int k = 0; k < points.Length; k++)
                    points[k] = new Point2f(ToFrameX(raw[o + 4 + 2 * k] / s + ax), ToFrameY(raw[o + 5 + 2 * k] / s + ay));
                found.Add(new FaceDetection(box, 1 / (1 + MathF.Exp(-logit)), points));
            }
        }
        return found;
    }

    private float ToFrameX(float normalised) => (normalised * _size - _content.X) / _scale;

    private float ToFrameY(float normalised) => (normalised * _size - _content.Y) / _scale;

    private static float Logit(float p) => MathF.Log(p / (1 - p));

    /// <summary>Releases the session and buffers.</summary>
    public void Dispose()
    {
        foreach (var v in _inputValues.Concat(_outputValues))
            v.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
        _inputMat.Dispose();
        _letterbox.Dispose();
        _rgb.Dispose();
        if (_inputPin.IsAllocated)
            _inputPin.Free();
    }
}
