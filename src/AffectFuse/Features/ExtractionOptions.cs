using AffectFuse.Audio;
using AffectFuse.Faces;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;

namespace AffectFuse.Features;

/// <summary>Settings of <see cref="FeatureExtractionPipeline"/> (the <c>extract</c> command's options).</summary>
public sealed record ExtractionOptions
{
    /// <summary>Visual feature groups (<c>--visual</c>); the default is the shipped model's, <see cref="VisualFeatureLayout.Default"/>.</summary>
    public VisualFeatureGroups Visual { get; init; } = VisualFeatureLayout.Default;

    /// <summary>Audio feature groups (<c>--audio</c>); the default is the shipped model's, <see cref="AudioFeatureSets.Default"/>.</summary>
    public AudioFeatureGroups Audio { get; init; } = AudioFeatureSets.Default;

    /// <summary>Face to follow when several are visible (<c>--face</c>).</summary>
    public FaceSelection Face { get; init; } = FaceSelection.Largest;

    /// <summary>With <see cref="FaceSelection.All"/>: a face followed for fewer frames than this (1 s at 25 fps) is taken
    /// for a false detection or a passer-by and gets no labels of its own.</summary>
    public int MinPersonFrames { get; init; } = 25;

    /// <summary>BlazeFace network (<c>--detector auto|back|front</c>): back finds smaller faces, front is about 5× cheaper,
    /// auto uses front while the face is large enough and back otherwise; region finds faces with back and follows them
    /// with front on a square around each.</summary>
    public FaceDetectorChoice Detector { get; init; } = FaceDetectorChoice.Auto;

    /// <summary>Run the face detector on every N-th frame, interpolating between agreeing detections (<c>--detect-every</c>).
    /// 5 keeps the whole video path above 10× real time on 2 cores (`bench pipeline`: 10.6× at 5, 9.7× at 3 on 640×480)
    /// and makes the same presence decisions as detecting on every frame on the tests' moving-face video: where two
    /// detections disagree the tracker detects every frame between, so presence is still decided frame by frame.</summary>
    public int DetectEvery { get; init; } = 5;

    /// <summary>Run the face nets on every N-th frame of an uninterrupted run of face frames, the frames between holding
    /// the last row (<c>--face-every</c>). Expressions change over tenths of a second, not from one 40 ms frame to the next,
    /// and the nets are most of the cost per frame when every visual group is on. 2 by default: with the mini-Xception and
    /// face-api's expression net on, `bench pipeline` on a 640×480 clip measured 13.2× real time at 2 and 10.1× at 1.</summary>
    public int FaceNetEvery { get; init; } = 2;

    /// <summary>Face crops per emotion-CNN forward pass; also the size of the batches passed between stages.</summary>
    public int BackboneBatchSize { get; init; } = 32;

    /// <summary>Half-width in seconds of the audio pooling window centred on each frame.</summary>
    public double AudioHalfWindowSeconds { get; init; } = new AudioFeatureOptions().HalfWindowSeconds;

    /// <summary>Models folder (<c>--models</c>); null = <see cref="Setup.ModelStore.Open"/>'s default lookup.</summary>
    public string? ModelsRoot { get; init; }

    /// <summary>Shrink frames whose longer side exceeds this (pixels) before detection and alignment; null keeps full size.</summary>
    public int? MaxFrameSize { get; init; }

    /// <summary>FFmpeg video decoder threads (0 = OpenCV's choice, one per core).</summary>
    public int DecoderThreads { get; init; } = 1;

    /// <summary>Torch intra-op threads of the emotion CNN's stage. One by default: decoding, detection and audio run
    /// on the other threads at the same time, so more would only contend for the same cores.</summary>
    public int BackboneThreads { get; init; } = 1;

    /// <summary>Frame batches in flight between the stages (bounds memory: each holds <see cref="BackboneBatchSize"/> crops).</summary>
    public int BatchesInFlight { get; init; } = 4;

    /// <summary>Refuse a video that decodes to fewer frames than its container declares (corrupt in the middle, or cut
    /// short) instead of extracting what can be decoded and warning (<see cref="ExtractionStatistics.Shortfall"/>). Default
    /// false.</summary>
    public bool RequireAllFrames { get; init; }

    /// <summary>Checks every value; a bad one is an <see cref="AffectFuseException"/> naming the option and its range.</summary>
    public void Validate()
    {
        OptionCheck.Range("ExtractionOptions.DetectEvery", DetectEvery, 1, int.MaxValue);
        OptionCheck.Range("ExtractionOptions.FaceNetEvery", FaceNetEvery, 1, int.MaxValue);
        OptionCheck.Range("ExtractionOptions.MinPersonFrames", MinPersonFrames, 1, int.MaxValue);
        OptionCheck.Range("ExtractionOptions.BackboneBatchSize", BackboneBatchSize, 1, 4096);
        OptionCheck.Range("ExtractionOptions.DecoderThreads", DecoderThreads, 0, 256);
        OptionCheck.Range("ExtractionOptions.BackboneThreads", BackboneThreads, 1, 256);
        OptionCheck.Range("ExtractionOptions.BatchesInFlight", BatchesInFlight, 2, 1024);
        if (MaxFrameSize is { } size)
            OptionCheck.Range("ExtractionOptions.MaxFrameSize", size, 64, 1 << 16);
        OptionCheck.Defined("ExtractionOptions.Face", Face);
        OptionCheck.Defined("ExtractionOptions.Detector", Detector);
        if (!VisualFeatureLayout.IsSet(Visual))
            throw OptionCheck.Bad("ExtractionOptions.Visual", "must be a set of the visual feature groups", Visual);
        if (!AudioFeatureSets.IsSet(Audio))
            throw OptionCheck.Bad("ExtractionOptions.Audio", "must be a set of the audio feature groups", Audio);
        OptionCheck.Range("ExtractionOptions.AudioHalfWindowSeconds", AudioHalfWindowSeconds, 0.005, 60);
    }
}
