namespace AffectFuse.Benchmarks.Compose;

/// <summary>One EmoDB recording.</summary>
/// <param name="File">File name inside the wav folder (<c>SSTTTEV.wav</c>).</param>
/// <param name="Speaker">Speaker code <c>SS</c>.</param>
/// <param name="Class">Aff-Wild2 class (boredom → Other).</param>
/// <param name="Seconds">Duration.</param>
public sealed record Utterance(string File, string Speaker, int Class, double Seconds);
