namespace AffectFuse.Audio;

/// <summary>A signal played at 1/<see cref="Factor"/> of its speed, sample by sample: every input sample becomes
/// <see cref="Factor"/> output samples on the straight line from the previous one to it, so input sample n owns output
/// samples [Factor·n, Factor·n + Factor) and input chunk j owns output chunks [Factor·j, Factor·j + Factor). Linear
/// interpolation needs no look-ahead, so the output never depends on how the input was chunked.</summary>
internal sealed class SlowedPlayback
{
    /// <summary>Output samples per input sample; every frequency is divided by it.</summary>
    public const int Factor = 3;

    private float _previous; // the sample before the next one (0 before the signal)

    /// <summary>Writes the slowed <paramref name="input"/> to <paramref name="output"/> (Factor × as long).</summary>
    public void Play(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length != Factor * input.Length)
            throw new ArgumentException($"output must hold {Factor * input.Length} samples, got {output.Length}");
        for (int n = 0; n < input.Length; n++)
        {
            float step = (input[n] - _previous) / Factor;
            for (int i = 1; i <= Factor; i++)
                output[Factor * n + i - 1] = _previous + step * i;
            _previous = input[n];
        }
    }
}
