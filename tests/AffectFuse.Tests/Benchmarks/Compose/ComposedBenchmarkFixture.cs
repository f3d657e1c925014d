using AffectFuse.Benchmarks.Compose;
using Xunit;

namespace AffectFuse.Tests.Benchmarks.Compose;

/// <summary>One fake data folder and one tiny composed benchmark (train, validation, test: one 3-s clip each),
/// shared by the tests that only read it.</summary>
public sealed class ComposedBenchmarkFixture : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "affectfuse-compose-" + Guid.NewGuid().ToString("N"));
    public string Data { get; }
    public string Out { get; }
    public ComposeOptions Options { get; } = FakeComposeData.TinyOptions(seed: 5) with { MinSnrDb = 30, MaxSnrDb = 30 };
    public ComposeResult Result { get; }
    public List<string> Warnings { get; } = [];

    public ComposedBenchmarkFixture()
    {
        Data = FakeComposeData.Create(Path.Combine(Root, "data"));
        Out = Path.Combine(Root, "out");
        Result = new BenchmarkComposer(Data, Out, Options, Warnings.Add).Run();
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
