using AffectFuse.Features.Visual;
using AffectFuse.Faces.Nets.MediaPipe;

namespace AffectFuse.Features;

/// <summary>A run of consecutive frames handed from the decode stage to the CNN and audio stages: the frames'
/// timestamps and the packed face crops, each with its frame and person, (64×64 gray, 112×112 RGB, 192×192 RGB MediaPipe mesh crops with their frame
/// regions) of those with a face. Pooled: it goes back to the pool once both
/// consumers have released it, so the number alive is fixed whatever the video's length.</summary>
internal sealed class FrameBatch(int capacity, bool gray = true, bool rgb = false, bool mesh = false)
{
    public const int CropBytes = VisualFeatureExtractor.GraySize * VisualFeatureExtractor.GraySize;

    public const int RgbCropBytes = VisualFeatureExtractor.RgbSize * VisualFeatureExtractor.RgbSize * 3;

    public const int MeshCropBytes = FaceBlendshapes.MeshCropBytes;

    private int _holders;

    public int Capacity { get; } = capacity;

    /// <summary>Index of the first frame.</summary>
    public int Start { get; private set; }

    /// <summary>Frames in the batch.</summary>
    public int Count { get; set; }

    public double[] Timestamps { get; } = new double[capacity];

    /// <summary>Gray crops of the frames with a face, back to back (empty when no gray net runs).</summary>
    public byte[] Crops { get; } = new byte[gray ? capacity * CropBytes : 0];

    /// <summary>RGB crops of the frames with a face, back to back (empty when no colour net runs).</summary>
    public byte[] RgbCrops { get; } = new byte[rgb ? capacity * RgbCropBytes : 0];

    /// <summary>MediaPipe mesh crops of the frames with a face, back to back (empty when the blendshape group is off).</summary>
    public byte[] MeshCrops { get; } = new byte[mesh ? capacity * MeshCropBytes : 0];

    /// <summary>The frame region each mesh crop was cut from.</summary>
    public RotatedRoi[] MeshRegions { get; } = new RotatedRoi[mesh ? capacity : 0];

    /// <summary>Frame index of each packed crop.</summary>
    public int[] FaceFrames { get; } = new int[capacity];

    /// <summary>Whose face each packed crop is.</summary>
    public PersonRows[] FacePersons { get; } = new PersonRows[capacity];

    public int FaceCount { get; set; }

    /// <summary>Per packed crop: whether the face was also present on the frames since the previous crop (its landmark
    /// changes are then meaningful).</summary>
    public bool[] Continues { get; } = new bool[capacity];

    /// <summary>Frames with a face that the nets skip (see <see cref="ExtractionOptions.FaceNetEvery"/>): they take the row
    /// of the last crop before them.</summary>
    public int[] HeldFrames { get; } = new int[capacity];

    /// <summary>Whose face each held frame is.</summary>
    public PersonRows[] HeldPersons { get; } = new PersonRows[capacity];

    public int HeldCount { get; set; }

    public bool IsFull => Count == Capacity;

    /// <summary>Whether a frame with <paramref name="faces"/> faces still fits (crops and held frames share the capacity).</summary>
    public bool HasRoomFor(int faces) => Count < Capacity && FaceCount + HeldCount + faces <= Capacity;

    public void Reset(int start)
    {
        Start = start;
        Count = 0;
        FaceCount = 0;
        HeldCount = 0;
    }

    /// <summary>Sets how many consumers must release the batch before it is reused.</summary>
    public void Share(int holders) => Volatile.Write(ref _holders, holders);

    /// <summary>True when the caller was the last holder.</summary>
    public bool Release() => Interlocked.Decrement(ref _holders) == 0;
}
