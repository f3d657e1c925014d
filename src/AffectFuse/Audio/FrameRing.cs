namespace AffectFuse.Audio;

/// <summary>A growable circular buffer of fixed-width float rows addressed by absolute frame index, so a stream keeps
/// only the frames its current pooling window still needs.</summary>
internal sealed class FrameRing
{
    private float[] _data;
    private int _capacity;
    private int _head; // slot of FirstIndex
    private int _count;

    public FrameRing(int width, int initialCapacity = 128)
    {
        Width = width;
        _capacity = Math.Max(1, initialCapacity);
        _data = new float[_capacity * width];
    }

    public int Width { get; }

    /// <summary>Absolute index of the oldest row kept.</summary>
    public long FirstIndex { get; private set; }

    /// <summary>One past the newest row's absolute index (= rows ever appended).</summary>
    public long EndIndex => FirstIndex + _count;

    public int Count => _count;

    /// <summary>Adds a row at <see cref="EndIndex"/> and returns it for filling.</summary>
    public Span<float> Append()
    {
        if (_count == _capacity)
            Grow();
        int slot = (_head + _count) % _capacity;
        _count++;
        return _data.AsSpan(slot * Width, Width);
    }

    public ReadOnlySpan<float> Row(long index)
    {
        if (index < FirstIndex || index >= EndIndex)
            throw new ArgumentOutOfRangeException(nameof(index), $"row {index} not in [{FirstIndex}, {EndIndex})");
        int slot = (int)((_head + (index - FirstIndex)) % _capacity);
        return _data.AsSpan(slot * Width, Width);
    }

    /// <summary>Forgets rows before <paramref name="index"/>.</summary>
    public void DropBefore(long index)
    {
        long drop = Math.Clamp(index - FirstIndex, 0, _count);
        _head = (int)((_head + drop) % _capacity);
        _count -= (int)drop;
        FirstIndex += drop;
    }

    private void Grow()
    {
        int capacity = _capacity * 2;
        var data = new float[capacity * Width];
        for (int i = 0; i < _count; i++)
            _data.AsSpan(((_head + i) % _capacity) * Width, Width).CopyTo(data.AsSpan(i * Width, Width));
        _data = data;
        _capacity = capacity;
        _head = 0;
    }
}
