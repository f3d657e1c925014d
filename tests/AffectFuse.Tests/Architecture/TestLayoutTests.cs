using Xunit;

namespace AffectFuse.Tests.Architecture;

/// <summary>The tests mirror the source: a test folder is a folder of the library, of the CLI (<c>Cli/</c>), of the
/// benchmarks (<c>Benchmarks/</c>) or of the live page's server (<c>Live/</c>), sub-folders included; only the suite's own folders stand apart.</summary>
public class TestLayoutTests
{
    private static readonly string[] OwnFolders = ["Architecture", "Fixtures", "Hostile"];

    [Fact]
    public void EveryTestFolderMirrorsASourceFolder()
    {
        string repo = Setup.ModelStoreTests.RepoRoot();
        string tests = Path.Combine(repo, "tests", "AffectFuse.Tests");
        var strays = new List<string>();
        foreach (string dir in Directory.EnumerateDirectories(tests, "*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(tests, dir);
            string[] parts = rel.Split(Path.DirectorySeparatorChar);
            // Build output and the test runner's results are no test folders; nor is a folder without test code.
            if (parts[0] is "bin" or "obj" or "TestResults" || OwnFolders.Contains(parts[0])
                || !Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories).Any()) continue;
            string source = parts[0] switch
            {
                "Cli" => Path.Combine([repo, "src", "AffectFuse.Cli", .. parts[1..]]),
                "Benchmarks" => Path.Combine([repo, "src", "AffectFuse.Benchmarks", .. parts[1..]]),
                "Live" => Path.Combine([repo, "src", "AffectFuse.Live", .. parts[1..]]),
                _ => Path.Combine([repo, "src", "AffectFuse", .. parts]),
            };
            if (!Directory.Exists(source)) strays.Add(rel);
        }
        Assert.True(strays.Count == 0, "test folders with no source folder: " + string.Join(", ", strays));
    }
}
