using MathNet.Numerics.IntegralTransforms;

namespace AffectFuse.Audio;

/// <summary>Short-time spectrum of one analysis frame: periodic Hann window over <see cref="WindowLength"/> samples,
/// zero-padded to <see cref="FftSize"/>, unscaled real FFT (MathNet.Numerics), as numpy's <c>rfft</c>.</summary>
internal sealed class Stft
{
    private readonly float[] _window;
    private readonly float[] _fft; // FftSize + 2 floats: MathNet's packed real-FFT layout

    /// <summary>Samples per analysis frame (25 ms at 16 kHz).</summary>
    public int WindowLength { get; }

    /// <summary>FFT length.</summary>
    public int FftSize { get; }

    /// <summary>Spectrum bins, FftSize/2 + 1.</summary>
    public int Bins => FftSize / 2 + 1;

    /// <summary>Defaults: 400-sample window, 512-point FFT.</summary>
    public Stft(int windowLength = 400, int fftSize = 512)
    {
        if (windowLength < 2 || fftSize < windowLength || fftSize % 2 != 0)
            throw new ArgumentException($"bad STFT: window {windowLength}, n_fft {fftSize}");
        WindowLength = windowLength;
        FftSize = fftSize;
        _window = HannWindow(windowLength);
        _fft = new float[fftSize + 2];
    }

    /// <summary>Periodic Hann window, 0.5 − 0.5·cos(2πn/N) (torch.hann_window / scipy fftbins=True).</summary>
    public static float[] HannWindow(int length)
    {
        var w = new float[length];
        for (int n = 0; n < length; n++)
            w[n] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * n / length));
        return w;
    }

    /// <summary>Power |X_k|² of <paramref name="frame"/> (exactly <see cref="WindowLength"/> samples) into
    /// <paramref name="power"/> (<see cref="Bins"/> values).</summary>
    public void Power(ReadOnlySpan<float> frame, Span<float> power)
    {
        if (frame.Length != WindowLength || power.Length < Bins)
            throw new ArgumentException($"expected a {WindowLength}-sample frame and room for {Bins} bins");
        Span<float> data = _fft;
        for (int n = 0; n < WindowLength; n++)
            data[n] = frame[n] * _window[n];
        data[WindowLength..].Clear();
        Fourier.ForwardReal(_fft, FftSize, FourierOptions.NoScaling);
        for (int k = 0; k < Bins; k++)
        {
            float re = _fft[2 * k], im = _fft[2 * k + 1];
            power[k] = re * re + im * im;
        }
    }
}
