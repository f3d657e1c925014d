namespace AffectFuse.Audio;

/// <summary>Triangular mel filters on the HTK mel scale (mel = 2595·log10(1 + f/700)), unnormalised (peak 1), laid
/// out as torchaudio's <c>melscale_fbanks(norm=None, mel_scale="htk")</c>: band edges equally spaced in mel between
/// <see cref="MinHz"/> and <see cref="MaxHz"/>, weights evaluated at the FFT bin frequencies k·fs/n_fft.</summary>
internal sealed class MelFilterbank
{
    private readonly int[] _firstBin;
    private readonly float[][] _weights; // per band, the non-zero run of weights starting at _firstBin

    /// <summary>Number of mel bands.</summary>
    public int Bands { get; }

    /// <summary>Number of spectrum bins (n_fft/2 + 1).</summary>
    public int Bins { get; }

    /// <summary>Lower edge of the first band in Hz.</summary>
    public double MinHz { get; }

    /// <summary>Upper edge of the last band in Hz.</summary>
    public double MaxHz { get; }

    /// <summary>Builds the filters; defaults: 64 bands, 16 kHz, n_fft 512, 0–8000 Hz.</summary>
    public MelFilterbank(int bands = 64, int sampleRate = 16000, int fftSize = 512, double minHz = 0, double maxHz = 8000)
    {
        if (bands < 1 || fftSize < 2 || minHz < 0 || maxHz <= minHz || maxHz > sampleRate / 2.0)
            throw new ArgumentException($"bad mel filterbank: {bands} bands, {minHz}–{maxHz} Hz at {sampleRate} Hz");
        Bands = bands;
        Bins = fftSize / 2 + 1;
        MinHz = minHz;
        MaxHz = maxHz;

        double melMin = HzToMel(minHz), melMax = HzToMel(maxHz);
        var edges = new double[bands + 2];
        for (int i = 0; i < edges.Length; i++)
            edges[i] = MelToHz(melMin + (melMax - melMin) * i / (bands + 1));

        _firstBin = new int[bands];
        _weights = new float[bands][];
        var row = new double[Bins];
        for (int b = 0; b < bands; b++)
        {
            int first = -1, last = -1;
            for (int k = 0; k < Bins; k++)
            {
                double f = (double)k * sampleRate / fftSize;
                double up = (f - edges[b]) / (edges[b + 1] - edges[b]);
                double down = (edges[b + 2] - f) / (edges[b + 2] - edges[b + 1]);
                row[k] = Math.Max(0, Math.Min(up, down));
                if (row[k] > 0)
                {
                    if (first < 0) first = k;
                    last = k;
                }
            }
            if (first < 0)
                throw new ArgumentException($"mel band {b} ({edges[b]:F1}–{edges[b + 2]:F1} Hz) falls between FFT bins; use fewer bands or a larger n_fft");
            _firstBin[b] = first;
            _weights[b] = new float[last - first + 1];
            for (int k = first; k <= last; k++)
                _weights[b][k - first] = (float)row[k];
        }
    }

    /// <summary>HTK mel of a frequency in Hz.</summary>
    public static double HzToMel(double hz) => 2595.0 * Math.Log10(1.0 + hz / 700.0);

    /// <summary>Frequency in Hz of an HTK mel value.</summary>
    public static double MelToHz(double mel) => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);

    /// <summary>Weight of bin <paramref name="bin"/> in band <paramref name="band"/>.</summary>
    public float Weight(int band, int bin)
    {
        int i = bin - _firstBin[band];
        return i >= 0 && i < _weights[band].Length ? _weights[band][i] : 0f;
    }

    /// <summary>Band energies Σ_k w[b,k]·power[k] for a power spectrum of <see cref="Bins"/> values.</summary>
    public void Apply(ReadOnlySpan<float> power, Span<float> bandEnergies)
    {
        if (power.Length != Bins || bandEnergies.Length < Bands)
            throw new ArgumentException($"expected {Bins} spectrum bins and room for {Bands} bands");
        for (int b = 0; b < Bands; b++)
        {
            float[] w = _weights[b];
            ReadOnlySpan<float> p = power.Slice(_firstBin[b], w.Length);
            float sum = 0;
            for (int i = 0; i < w.Length; i++)
                sum += w[i] * p[i];
            bandEnergies[b] = sum;
        }
    }
}
