using System.Diagnostics;
using AffectFuse.Setup;

namespace AffectFuse.Tests.Audio;

/// <summary>Signals with known answers, external tools and temporary folders for the audio tests.</summary>
internal static class AudioTestKit
{
    public const int Rate = 16000;

    public static float[] Tone(double hz, double seconds, double amplitude = 0.5)
    {
        var x = new float[(int)Math.Round(seconds * Rate)];
        for (int n = 0; n < x.Length; n++)
            x[n] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * n / Rate));
        return x;
    }

    public static float[] Silence(double seconds) => new float[(int)Math.Round(seconds * Rate)];

    /// <summary>Gaussian white noise (Box–Muller), seeded.</summary>
    public static float[] WhiteNoise(double seconds, double sigma = 0.1, int seed = 1)
    {
        var random = new Random(seed);
        var x = new float[(int)Math.Round(seconds * Rate)];
        for (int n = 0; n < x.Length; n++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            x[n] = (float)(sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return x;
    }

    public static float[] Concat(params float[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Runs a program to completion; returns stdout; fails the test with stderr on a non-zero exit.</summary>
    public static string Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({p.ExitCode}): {err.Result}");
        return output;
    }

    /// <summary>Reads a raw little-endian float32 file.</summary>
    public static float[] ReadF32(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var x = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, x, 0, x.Length * 4);
        return x;
    }

    /// <summary>The models folder: $AFFECTFUSE_MODELS, else the repository's models/ (scripts/fetch-models.sh fills it).</summary>
    public static ModelStore Models() => ModelStore.Open();

}
