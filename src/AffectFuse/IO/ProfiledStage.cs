namespace AffectFuse.IO;

/// <summary>The steps of the video → features → labels path whose CPU time a <see cref="StageProfile"/> records, in the
/// order they run. Each names the thread it runs on in <see cref="StageProfile.ThreadOf"/>.</summary>
internal enum ProfiledStage
{
    /// <summary>Demuxing and decoding a frame, and its conversion to BGR (OpenCV's FFmpeg).</summary>
    Decode,
    /// <summary>BlazeFace: letterbox, colour conversion, the ONNX net, anchors and suppression.</summary>
    Detect,
    /// <summary>Following the face between detections: association, interpolation, frames held back.</summary>
    Track,
    /// <summary>Cutting and warping the aligned face crops.</summary>
    Align,
    /// <summary>The FER-2013 mini-Xception on a batch of gray crops, its row written.</summary>
    MiniXception,
    /// <summary>face-api's expression net on a batch of colour crops.</summary>
    FaceApiExpression,
    /// <summary>face-api's 68-landmark net and the landmark measures.</summary>
    FaceApiLandmarks,
    /// <summary>MediaPipe's mesh, iris and blendshape nets.</summary>
    Blendshapes,
    /// <summary>Reading the 16 kHz PCM from the ffmpeg child process (ffmpeg's own decoding and resampling run in that
    /// process and are counted apart).</summary>
    AudioRead,
    /// <summary>The per-10-ms descriptors: log-mel, pitch, voicing, energy, spectral shape.</summary>
    Descriptors,
    /// <summary>Silero VAD, both passes.</summary>
    Vad,
    /// <summary>The speech embedding: its mel net and its embedding net.</summary>
    SpeechEmbedding,
    /// <summary>Pooling the audio over each frame's window.</summary>
    AudioPooling,
    /// <summary>The temporal model: sliding windows, soft voting, smoothing.</summary>
    Model,
}
