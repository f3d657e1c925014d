using System.Globalization;
using AffectFuse.Audio;
using Xunit;

namespace AffectFuse.Tests.Audio;

public class MelFilterbankTests
{
    // Independent reference: the HTK triangular filterbank as torchaudio.functional.melscale_fbanks(norm=None,
    // mel_scale="htk") defines it, written in numpy, plus numpy's rfft for the log-mel of one frame.
    private const string NumpyReference = """
import sys, numpy as np
sr, n_fft, n_mels, fmin, fmax = 16000, 512, 64, 0.0, 8000.0
hz2mel = lambda f: 2595.0 * np.log10(1.0 + f / 700.0)
mel2hz = lambda m: 700.0 * (10.0 ** (m / 2595.0) - 1.0)
freqs = np.linspace(0, sr // 2, n_fft // 2 + 1)
f_pts = mel2hz(np.linspace(hz2mel(fmin), hz2mel(fmax), n_mels + 2))
f_diff = f_pts[1:] - f_pts[:-1]
slopes = f_pts[None, :] - freqs[:, None]
down = -slopes[:, :-2] / f_diff[:-1]
up = slopes[:, 2:] / f_diff[1:]
fb = np.maximum(0.0, np.minimum(down, up))          # [bins, mels]
frame = np.array([float(v) for v in sys.stdin.read().split()], dtype=np.float64)
win = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(400) / 400)
spec = np.abs(np.fft.rfft(frame * win, n=n_fft)) ** 2
logmel = np.log(np.maximum(spec @ fb, 1e-10))
for row in fb.T: print(" ".join(repr(v) for v in row))
print(" ".join(repr(v) for v in logmel))
""";

    [Fact]
    public void FilterbankAndLogMelMatchNumpyReference()
    {
        float[] frame = AudioTestKit.WhiteNoise(400.0 / AudioTestKit.Rate, 0.2, seed: 7);
        for (int n = 0; n < frame.Length; n++)
            frame[n] += (float)(0.3 * Math.Sin(2 * Math.PI * 300 * n / AudioTestKit.Rate));
        string stdout = RunPython(NumpyReference, string.Join(" ", frame.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        double[][] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(65, lines.Length);

        var mel = new MelFilterbank();
        Assert.Equal(64, mel.Bands);
        Assert.Equal(257, mel.Bins);
        for (int b = 0; b < 64; b++)
        {
            Assert.Equal(257, lines[b].Length);
            for (int k = 0; k < 257; k++)
                Assert.True(Math.Abs(mel.Weight(b, k) - lines[b][k]) <= 1e-5, $"band {b} bin {k}: {mel.Weight(b, k)} vs numpy {lines[b][k]}");
        }

        // Whole log-mel path (Hann, zero-padded MathNet FFT, filterbank, log) against numpy in float64.
        var stft = new Stft();
        var power = new float[257];
        var bands = new float[64];
        stft.Power(frame, power);
        mel.Apply(power, bands);
        for (int b = 0; b < 64; b++)
            Assert.True(Math.Abs(Math.Log(Math.Max(bands[b], 1e-10)) - lines[64][b]) <= 1e-4, $"log-mel {b}: {Math.Log(bands[b])} vs numpy {lines[64][b]}");
    }

    [Fact]
    public void FilterPeaksSitAtMelSpacedCentresAndScaleRoundTrips()
    {
        // HTK: 1000 Hz is 1000 mel by construction of the constants.
        Assert.Equal(1000.0, MelFilterbank.HzToMel(1000), 1);
        foreach (double hz in new[] { 0.0, 60, 440, 3999, 8000 })
            Assert.Equal(hz, MelFilterbank.MelToHz(MelFilterbank.HzToMel(hz)), 9);

        var mel = new MelFilterbank();
        double step = MelFilterbank.HzToMel(8000) / 65;
        for (int b = 0; b < 64; b++)
        {
            double lower = MelFilterbank.MelToHz(step * b), centre = MelFilterbank.MelToHz(step * (b + 1)), upper = MelFilterbank.MelToHz(step * (b + 2));
            for (int k = 0; k < 257; k++)
            {
                double f = k * 31.25;
                float w = mel.Weight(b, k);
                if (f <= lower || f >= upper)
                    Assert.Equal(0f, w);
                else
                    Assert.True(w > 0 && w <= 1, $"band {b} bin {k}");
                // Closed form of the triangle at each bin.
                double expected = f < centre ? (f - lower) / (centre - lower) : (upper - f) / (upper - centre);
                Assert.True(Math.Abs(w - Math.Max(0, expected)) <= 1e-5, $"band {b} bin {k}: {w} vs {expected}");
            }
        }
    }

    internal static string RunPython(string script, string stdin)
    {
        const string python = "/usr/bin/python3";
        var psi = new System.Diagnostics.ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"numpy reference failed: {err.Result}");
        return output.Result;
    }
}
