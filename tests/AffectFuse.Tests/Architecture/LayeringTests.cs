using AffectFuse.Cli;
using Xunit;

namespace AffectFuse.Tests.Architecture;

/// <summary>The library's folders follow the data flow and use only what comes before them; inside every project no two
/// folders (sub-folders included) use each other, directly or round about. Read from the compiled assemblies
/// (<see cref="CompiledDependencies"/>), so what the compiler resolved is what is checked.</summary>
public class LayeringTests
{
    // Lowest first. A folder (with its sub-folders) may use any folder before it, never one after it.
    private static readonly string[] Layers =
        ["", "IO", "Torch", "Setup", "Decoding", "Faces", "Audio", "Data", "Features", "Model", "Inference", "Evaluation", "Training", "Reporting", "Workflows", "Cluster"];

    private static readonly Lazy<CompiledDependencies> Library = new(() => CompiledDependencies.Read(typeof(AffectFuseException).Assembly.Location));
    private static readonly Lazy<CompiledDependencies> Benchmarks = new(() => CompiledDependencies.Read(typeof(AffectFuse.Benchmarks.PipelineBenchmark).Assembly.Location));
    private static readonly Lazy<CompiledDependencies> Live = new(() => CompiledDependencies.Read(typeof(AffectFuse.Live.LiveServer).Assembly.Location));
    private static readonly Lazy<CompiledDependencies> Cli = new(() => CompiledDependencies.Read(typeof(CommandRunner).Assembly.Location));

    [Fact]
    public void EveryLibraryFolderUsesOnlyFoldersBeforeIt()
    {
        var upward = new List<string>();
        foreach (var (ns, used) in Library.Value.Uses)
        {
            int own = LayerOf(ns);
            Assert.True(own >= 0, $"namespace {ns} is not in the layer list");
            upward.AddRange(used.Where(u => u.StartsWith("AffectFuse", StringComparison.Ordinal) && LayerOf(u) > own).Order().Select(u => $"{ns} uses {u}"));
        }
        Assert.True(upward.Count == 0, string.Join("\n", upward));
    }

    [Fact]
    public void TheLibraryUsesNeitherTheBenchmarksNorTheCliNorTheLivePage()
    {
        var wrong = Library.Value.Uses.SelectMany(p => p.Value.Where(u => u.StartsWith("AffectFuse.Cli", StringComparison.Ordinal) || u.StartsWith("AffectFuse.Benchmarks", StringComparison.Ordinal)
                || u.StartsWith("AffectFuse.Live", StringComparison.Ordinal) || u.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
            .Select(u => $"{p.Key} uses {u}")).ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        var benchmarks = Benchmarks.Value.Uses.SelectMany(p => p.Value.Where(u => u.StartsWith("AffectFuse.Cli", StringComparison.Ordinal)).Select(u => $"{p.Key} uses {u}")).ToList();
        Assert.True(benchmarks.Count == 0, string.Join("\n", benchmarks));
    }

    [Theory]
    [InlineData("library")]
    [InlineData("benchmarks")]
    [InlineData("cli")]
    [InlineData("live")]
    public void NoTwoFoldersUseEachOther(string project)
    {
        var deps = project switch { "library" => Library.Value, "benchmarks" => Benchmarks.Value, "live" => Live.Value, _ => Cli.Value };
        var cycles = Cycles(deps.Uses.ToDictionary(p => p.Key, p => p.Value.Where(deps.Uses.ContainsKey).ToList()));
        Assert.True(cycles.Count == 0, "cycles between namespaces:\n" + string.Join("\n", cycles.Select(c => string.Join(" ↔ ", c))));
    }

    [Fact]
    public void TheReaderSeesWhatTheSourceHides()
    {
        // Features.Visual reaches Faces through partial namespaces and fully qualified names as well as usings; the
        // compiled reference is there whatever the spelling.
        Assert.Contains("AffectFuse.Faces", Library.Value.Uses["AffectFuse.Features"]);
        Assert.Contains("AffectFuse.Decoding", Library.Value.Uses["AffectFuse.Workflows"]);
        Assert.Contains("AffectFuse", Cli.Value.Uses["AffectFuse.Cli.Commands"]);
        Assert.Contains("AffectFuse.Cli.Commands", Cli.Value.Uses[CompiledDependencies.EntryPoint]);
    }

    private static int LayerOf(string ns)
    {
        if (!ns.StartsWith("AffectFuse", StringComparison.Ordinal)) return -1;
        string rest = ns.Length > "AffectFuse".Length ? ns["AffectFuse.".Length..] : "";
        return Array.IndexOf(Layers, rest.Split('.')[0]);
    }

    // Strongly connected components of more than one namespace (Tarjan), each sorted, for the message.
    private static List<List<string>> Cycles(Dictionary<string, List<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var found = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (string w in graph[v])
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            if (component.Count > 1) found.Add([.. component.Order()]);
        }
        foreach (string v in graph.Keys.Order())
            if (!index.ContainsKey(v)) Visit(v);
        return found;
    }
}
