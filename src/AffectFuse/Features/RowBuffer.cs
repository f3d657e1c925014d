namespace AffectFuse.Features;

/// <summary>A growable row-major <c>[rows, width]</c> array, sized up front from the container's frame count so
/// that usually no copy is ever made; grows by half when a video has more frames than announced.</summary>
internal sealed class RowBuffer<T>(int width, int initialRows) where T : struct
{
    private T[] _data = new T[(long)Math.Max(1, initialRows) * width];

    public int Width { get; } = width;

    public void EnsureRows(int rows)
    {
        long needed = (long)rows * Width;
        if (needed <= _data.Length)
            return;
        long grown = Math.Max(needed, _data.Length + _data.Length / 2);
        Array.Resize(ref _data, (int)Math.Min(grown, Array.MaxLength));
    }

    public Span<T> Row(int row) => _data.AsSpan(row * Width, Width);

    public ref T this[int row] => ref _data[row * Width];

    /// <summary>The first <paramref name="rows"/> rows; the buffer itself when it is exactly that long (no copy).</summary>
    public T[] ToArray(int rows)
    {
        long length = (long)rows * Width;
        return length == _data.Length ? _data : _data.AsSpan(0, (int)length).ToArray();
    }
}
