using System.Runtime.InteropServices;
using AffectFuse.Decoding;
using AffectFuse.Faces;
using AffectFuse.Faces.Nets.MediaPipe;
using AffectFuse.Features.Visual;
using AffectFuse.IO;
using OpenCvSharp;

namespace AffectFuse.Features;

/// <summary>What the decode stage does for one person's face in one frame: records the box (and, when several people
/// are followed, the mouth motion), then either packs the aligned crops the face nets will see into the batch, or, on
/// the frames between two the nets see (<see cref="ExtractionOptions.FaceNetEvery"/>), marks the frame to hold the
/// person's last row.</summary>
internal sealed class FaceStep(VisualFeatureExtractor nets) : IDisposable
{
    private readonly FaceAligner _grayAligner = new(VisualFeatureExtractor.GraySize);
    private readonly FaceAligner _rgbAligner = new(VisualFeatureExtractor.RgbSize);
    private readonly Mat _crop = new();

    /// <summary>Handles <paramref name="face"/> (present) of <paramref name="frame"/>, video frame <paramref name="index"/>.</summary>
    public void Add(VideoFrame frame, TrackedFace face, PersonRows rows, int index, FrameBatch batch, StageProfile profile, int faceNetEvery,
        bool mouthMotion)
    {
        var image = frame.Image;
        int row = rows.Row(index);
        var b = face.Box;
        var box = rows.Boxes.Row(row);
        (box[0], box[1], box[2], box[3]) = (b.X / image.Width, b.Y / image.Height, b.Width / image.Width, b.Height / image.Height);
        if (mouthMotion)
            rows.Mouth[row] = rows.MouthMotion.Next(image, face.Face!, index);
        rows.FramesPresent++;
        if (rows.FaceRun++ % faceNetEvery != 0)
        {
            // Between two frames the face nets see, hold the last one's row (expressions change more slowly).
            batch.HeldFrames[batch.HeldCount] = index;
            batch.HeldPersons[batch.HeldCount++] = rows;
            return;
        }
        long aligning = StageProfile.Start();
        int k = batch.FaceCount;
        Pack(image, face, batch, k);
        profile.Stop(ProfiledStage.Align, aligning);
        batch.Continues[k] = rows.FaceRun > 1;
        batch.FaceFrames[k] = index;
        batch.FacePersons[k] = rows;
        batch.FaceCount++;
    }

    /// <summary>Writes the crops the face nets take of <paramref name="face"/> (present) into slot <paramref name="k"/> of
    /// <paramref name="batch"/>: the aligned gray and RGB crops and the mesh crop with its region, as the nets need them.</summary>
    public void Pack(Mat image, TrackedFace face, FrameBatch batch, int k)
    {
        if (nets.NeedsGray)
        {
            _grayAligner.Align(image, face, _crop);
            Marshal.Copy(_crop.Data, batch.Crops, k * FrameBatch.CropBytes, FrameBatch.CropBytes);
        }
        if (nets.NeedsRgb)
        {
            _rgbAligner.AlignRgb(image, face.Face!, _crop);
            Marshal.Copy(_crop.Data, batch.RgbCrops, k * FrameBatch.RgbCropBytes, FrameBatch.RgbCropBytes);
        }
        if (nets.NeedsMeshCrop)
        {
            batch.MeshRegions[k] = FaceBlendshapes.CutMeshCrop(image, face.Face!, _crop);
            Marshal.Copy(_crop.Data, batch.MeshCrops, k * FrameBatch.MeshCropBytes, FrameBatch.MeshCropBytes);
        }
    }

    /// <summary>Releases the aligners.</summary>
    public void Dispose()
    {
        _grayAligner.Dispose();
        _rgbAligner.Dispose();
        _crop.Dispose();
    }
}
