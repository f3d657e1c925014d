namespace AffectFuse.Benchmarks.Vad;

/// <summary>What Silero VAD made of a generated signal without speech: every chunk at or above the threshold is false speech.</summary>
/// <param name="Signal">"silence", "white" or "pink".</param>
/// <param name="RmsDbfs">The noise's RMS, dB re full scale (−∞ for silence).</param>
/// <param name="Chunks">32-ms chunks scored.</param>
/// <param name="MaxProbability">Highest speech probability of any chunk.</param>
/// <param name="SpeechFraction">Share of chunks at or above the threshold.</param>
public sealed record VadNoiseRow(string Signal, double RmsDbfs, int Chunks, float MaxProbability, double SpeechFraction);
