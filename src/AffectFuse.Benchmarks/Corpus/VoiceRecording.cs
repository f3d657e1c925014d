using AffectFuse.Benchmarks.Compose;

namespace AffectFuse.Benchmarks.Corpus;

/// <summary>One labelled recording of speech.</summary>
/// <param name="Corpus">emodb or ravdess.</param>
/// <param name="Path">The audio file.</param>
/// <param name="Speaker">The speaker, unique within the corpus.</param>
/// <param name="Class">The Aff-Wild2 class.</param>
/// <param name="Split">The split the speaker belongs to.</param>
public sealed record VoiceRecording(string Corpus, string Path, string Speaker, int Class, ComposeSplit Split)
{
    /// <summary>A name unique across corpora: the corpus and the file's stem.</summary>
    public string Stem => $"{Corpus}_{System.IO.Path.GetFileNameWithoutExtension(Path)}";
}
