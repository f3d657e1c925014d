using AffectFuse.Faces;
using AffectFuse.Features.Visual;

namespace AffectFuse.Features;

/// <summary>One person's rows while a video is extracted, from the frame they first appear: the decode stage writes the
/// mask, the box and the mouth motion; the CNN stage the visual rows. Sized by how long the person stays, not by the
/// video (a passer-by in an hour of video costs a few rows).</summary>
internal sealed class PersonRows(int person, int firstFrame, int visualWidth, int expectedRows) : IDisposable
{
    private const int BoxWidth = 4;

    /// <summary>The person's id.</summary>
    public int Person { get; } = person;

    /// <summary>Video frame of row 0.</summary>
    public int First { get; } = firstFrame;

    // Decode stage.
    public RowBuffer<bool> Mask { get; } = new(1, expectedRows);

    public RowBuffer<float> Boxes { get; } = new(BoxWidth, expectedRows);

    public RowBuffer<float> Mouth { get; } = new(1, expectedRows);

    public MouthMotion MouthMotion { get; } = new();

    /// <summary>Rows the decode stage has written (one past the person's last frame so far).</summary>
    public int Rows { get; set; }

    /// <summary>Frames of the current uninterrupted run of this face.</summary>
    public int FaceRun { get; set; }

    // CNN stage.
    public RowBuffer<float> Visual { get; } = new(visualWidth, expectedRows);

    public LandmarkHistory History { get; } = new();

    /// <summary>The last frame the nets computed a row for (held frames copy it); −1 before the first.</summary>
    public int LastComputed { get; set; } = -1;

    /// <summary>Row of video frame <paramref name="frame"/>.</summary>
    public int Row(int frame) => frame - First;

    /// <summary>Marks frame <paramref name="frame"/> present or not, extending the rows to it (frames skipped since are absent).</summary>
    public void Present(int frame, bool present)
    {
        int row = Row(frame);
        Mask.EnsureRows(row + 1);
        Boxes.EnsureRows(row + 1);
        Mouth.EnsureRows(row + 1);
        for (int r = Rows; r < row; r++)
            Absent(r);
        Rows = row + 1;
        if (present)
            Mask[row] = true;
        else
            Absent(row);
    }

    private void Absent(int row)
    {
        Mask[row] = false;
        Boxes.Row(row).Fill(float.NaN);
        Mouth[row] = float.NaN;
    }

    /// <summary>Frames this person's face was present in.</summary>
    public int FramesPresent { get; set; }

    /// <summary>The visual rows over the whole video's <paramref name="frames"/> (zeros where the person is not); no copy
    /// when the person's rows start at frame 0 and fill the video.</summary>
    public float[] VisualOver(int frames)
    {
        if (First == 0)
        {
            Visual.EnsureRows(frames);
            return Visual.ToArray(frames);
        }
        var all = new float[(long)frames * Visual.Width];
        int rows = Math.Min(Rows, frames - First);
        for (int r = 0; r < rows; r++)
            Visual.Row(r).CopyTo(all.AsSpan((First + r) * Visual.Width, Visual.Width));
        return all;
    }

    /// <summary>The face mask over the whole video's <paramref name="frames"/>.</summary>
    public bool[] MaskOver(int frames) => Over(Mask, frames, false);

    /// <summary>The boxes over the whole video's <paramref name="frames"/> (NaN where absent).</summary>
    public float[] BoxesOver(int frames) => Over(Boxes, frames, float.NaN);

    /// <summary>The mouth motion over the whole video's <paramref name="frames"/> (NaN where unknown).</summary>
    public float[] MouthOver(int frames) => Over(Mouth, frames, float.NaN);

    private T[] Over<T>(RowBuffer<T> rows, int frames, T absent) where T : struct
    {
        var all = new T[(long)frames * rows.Width];
        all.AsSpan().Fill(absent);
        int count = Math.Min(Rows, frames - First);
        for (int r = 0; r < count; r++)
            rows.Row(r).CopyTo(all.AsSpan((First + r) * rows.Width, rows.Width));
        return all;
    }

    public void Dispose() => MouthMotion.Dispose();
}
