namespace AffectFuse.Decoding;

/// <summary>The frame times of a sound without pictures (<see cref="AudioOnlyFrames"/>), found while it is decoded: its
/// length is known only at its end, so a frame is given once the sound is known to reach past its time, and the times
/// end with the sound. The PCM passes on through <see cref="Chunks"/> to whatever analyses it, so it is decoded once;
/// only the chunks read ahead to settle a frame wait here (usually none: the analysis reads further ahead).</summary>
internal sealed class AudioOnlyTimeline(IEnumerable<float[]> pcm, double? declaredSeconds)
{
    private readonly IEnumerator<float[]> _source = pcm.GetEnumerator();
    private readonly Queue<float[]> _ahead = new();
    private long _samples;
    private bool _ended;

    private double DecodedSeconds => _samples / (double)AudioDecoder.SampleRate;

    /// <summary>The PCM chunks, in order, each once.</summary>
    public IEnumerable<float[]> Chunks()
    {
        while (_ahead.Count > 0 || ReadAhead())
            yield return _ahead.Dequeue();
    }

    /// <summary>The frames' times, in order.</summary>
    public IEnumerable<double> Times()
    {
        for (int frame = 0; ; frame++)
        {
            while (AudioOnlyFrames.Count(DecodedSeconds) <= frame && Declares(frame) && ReadAhead())
            {
            }
            if (AudioOnlyFrames.Count(declaredSeconds, DecodedSeconds) <= frame)
                yield break;
            yield return AudioOnlyFrames.Time(frame);
        }
    }

    // Past the container's end more sound adds no frame: reading on for one would only queue the rest of the file.
    private bool Declares(int frame) => declaredSeconds is not { } declared || frame < AudioOnlyFrames.Count(declared);

    private bool ReadAhead()
    {
        if (_ended || !_source.MoveNext())
        {
            _ended = true;
            return false;
        }
        _ahead.Enqueue(_source.Current);
        _samples += _source.Current.Length;
        return true;
    }
}
