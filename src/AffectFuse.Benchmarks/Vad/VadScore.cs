namespace AffectFuse.Benchmarks.Vad;

/// <summary>What Silero VAD made of one recording, and the recording's level.</summary>
/// <param name="Utterance">The recording.</param>
/// <param name="MaxProbability">Highest speech probability of any 32-ms chunk.</param>
/// <param name="SpeechFraction">Share of chunks scored at or above <see cref="VadBenchmark.Threshold"/>.</param>
/// <param name="Chunks">32-ms chunks scored.</param>
/// <param name="MaxFrameProbability">Highest VAD column of a 30 fps video's frames (the mean over the chunks in each
/// frame's pooling window): the most <c>speech_probability</c> ever says for this recording.</param>
/// <param name="Peak">Largest absolute sample of the decoded 16 kHz PCM (1 = full scale).</param>
/// <param name="RmsDbfs">RMS of the whole decoded signal, dB re full scale.</param>
/// <param name="ClippedSamples">Samples at or beyond ±0.999 of full scale.</param>
public sealed record VadScore(VadUtterance Utterance, float MaxProbability, double SpeechFraction, int Chunks, float MaxFrameProbability, float Peak, double RmsDbfs, int ClippedSamples)
{
    /// <summary>True when no chunk reached the threshold: the VAD heard no speech in a recording that holds some.</summary>
    public bool Missed => MaxProbability < VadBenchmark.Threshold;

    /// <summary>True when no video frame's VAD column reached the threshold.</summary>
    public bool FrameMissed => MaxFrameProbability < VadBenchmark.Threshold;
}
