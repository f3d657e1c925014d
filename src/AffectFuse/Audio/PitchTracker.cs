using System.Numerics;
using System.Runtime.InteropServices;

namespace AffectFuse.Audio;

/// <summary>One pitch estimate: fundamental frequency, YIN periodicity (1 − aperiodicity) and the voicing decision.</summary>
internal readonly record struct PitchEstimate(float FrequencyHz, float Periodicity, bool Voiced);

/// <summary>YIN pitch tracker (de Cheveigné &amp; Kawahara 2002): difference function, cumulative-mean normalisation,
/// absolute threshold, parabolic refinement. Written by hand: no referenced library tracks pitch.</summary>
internal sealed class PitchTracker
{
    private readonly double[] _diff;
    private readonly double[] _cmnd;

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Lowest pitch searched.</summary>
    public double MinHz { get; }

    /// <summary>Highest pitch searched.</summary>
    public double MaxHz { get; }

    /// <summary>Integration window W of the difference function, in samples.</summary>
    public int IntegrationWindow { get; }

    /// <summary>Cumulative-mean-normalised difference below which a lag counts as periodic (voiced).</summary>
    public double Threshold { get; }

    /// <summary>RMS below which a segment is unvoiced whatever its periodicity (digital near-silence, dither).</summary>
    public double VoicingRmsFloor { get; }

    /// <summary>Smallest lag searched (samples).</summary>
    public int MinLag { get; }

    /// <summary>Largest lag searched (samples).</summary>
    public int MaxLag { get; }

    /// <summary>Samples one estimate reads: W + MaxLag + 1 (the extra lag serves the parabolic refinement).</summary>
    public int SegmentLength => IntegrationWindow + MaxLag + 1;

    /// <summary>Defaults: 16 kHz, 60–500 Hz, W = 400 samples (25 ms), threshold 0.15.</summary>
    public PitchTracker(int sampleRate = 16000, double minHz = 60, double maxHz = 500, int integrationWindow = 400,
        double threshold = 0.15, double voicingRmsFloor = 1e-4)
    {
        if (minHz <= 0 || maxHz <= minHz || maxHz >= sampleRate / 2.0 || integrationWindow < 2)
            throw new ArgumentException($"bad pitch range {minHz}–{maxHz} Hz at {sampleRate} Hz");
        SampleRate = sampleRate;
        MinHz = minHz;
        MaxHz = maxHz;
        IntegrationWindow = integrationWindow;
        Threshold = threshold;
        VoicingRmsFloor = voicingRmsFloor;
        MinLag = Math.Max(2, (int)Math.Floor(sampleRate / maxHz));
        MaxLag = (int)Math.Ceiling(sampleRate / minHz);
        _diff = new double[MaxLag + 2];
        _cmnd = new double[MaxLag + 2];
    }

    /// <summary>Estimates the pitch of <paramref name="segment"/> (exactly <see cref="SegmentLength"/> samples).</summary>
    public PitchEstimate Estimate(ReadOnlySpan<float> segment)
    {
        if (segment.Length != SegmentLength)
            throw new ArgumentException($"expected {SegmentLength} samples, got {segment.Length}");
        int w = IntegrationWindow;
        ReadOnlySpan<float> head = segment[..w];
        double energy = 0;
        foreach (float x in head)
            energy += (double)x * x;
        if (energy <= 0)
            return new PitchEstimate(0, 0, false);

        // Difference function d(τ) = Σ_j (x_j − x_{j+τ})², computed directly (no cancellation) with SIMD.
        _diff[0] = 0;
        for (int tau = 1; tau <= MaxLag + 1; tau++)
            _diff[tau] = SquaredDistance(head, segment.Slice(tau, w));

        // Cumulative mean normalised difference d'(τ) = d(τ)·τ / Σ_{j≤τ} d(j).
        _cmnd[0] = 1;
        double running = 0;
        for (int tau = 1; tau <= MaxLag + 1; tau++)
        {
            running += _diff[tau];
            _cmnd[tau] = running > 0 ? _diff[tau] * tau / running : 1;
        }

        int best = -1;
        for (int tau = MinLag; tau <= MaxLag; tau++)
        {
            if (_cmnd[tau] < Threshold)
            {
                while (tau + 1 <= MaxLag && _cmnd[tau + 1] < _cmnd[tau])
                    tau++;
                best = tau;
                break;
            }
        }
        bool periodic = best >= 0;
        if (!periodic)
        {
            best = MinLag;
            for (int tau = MinLag + 1; tau <= MaxLag; tau++)
            {
                if (_cmnd[tau] < _cmnd[best])
                    best = tau;
            }
        }

        double refined = best;
        double a = _diff[best - 1], b = _diff[best], c = _diff[best + 1];
        double denominator = a - 2 * b + c;
        if (denominator > 0)
            refined = best + Math.Clamp(0.5 * (a - c) / denominator, -1, 1);

        double rms = Math.Sqrt(energy / w);
        float periodicity = (float)Math.Clamp(1 - _cmnd[best], 0, 1);
        bool voiced = periodic && rms >= VoicingRmsFloor;
        return new PitchEstimate((float)(SampleRate / refined), periodicity, voiced);
    }

    private static double SquaredDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var acc = Vector<float>.Zero;
        for (int i = 0; i < vx.Length; i++)
        {
            var d = vx[i] - vy[i];
            acc += d * d;
        }
        double sum = Vector.Sum(acc);
        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++)
        {
            float d = x[i] - y[i];
            sum += d * d;
        }
        return sum;
    }
}
