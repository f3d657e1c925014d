using System.Text.RegularExpressions;
using Xunit;

namespace AffectFuse.Tests.Architecture;

/// <summary>The library's folders follow the data flow and import only what comes before them, so no cycle can form.</summary>
public partial class LayeringTests
{
    // Lowest first. A folder may use any folder before it, never one after it.
    private static readonly string[] Layers =
        ["(root)", "IO", "Torch", "Setup", "Decoding", "Faces", "Audio", "Data", "Features", "Model", "Inference", "Evaluation", "Training", "Reporting", "Workflows", "Cluster"];

    [Fact]
    public void EveryFolderImportsOnlyFoldersBeforeIt()
    {
        string library = Path.Combine(RepositoryRoot(), "src", "AffectFuse");
        var upward = new List<string>();
        foreach (string file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                continue;
            string code = DocComment().Replace(File.ReadAllText(file), "");
            string own = Namespace().Match(code) is { Success: true } m && m.Groups[1].Value.Length > 0 ? m.Groups[1].Value : "(root)";
            int ownLayer = Array.IndexOf(Layers, own);
            Assert.True(ownLayer >= 0, $"{file}: namespace AffectFuse.{own} is not in the layer list");
            var used = Using().Matches(code).Select(x => x.Groups[1].Value).Concat(Qualified().Matches(code).Select(x => x.Groups[1].Value));
            foreach (string other in used.Distinct())
                if (Array.IndexOf(Layers, other) > ownLayer)
                    upward.Add($"{Path.GetRelativePath(library, file)} ({own}) uses {other}");
        }
        Assert.True(upward.Count == 0, string.Join("\n", upward));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AffectFuse.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\s*///.*$", RegexOptions.Multiline)]
    private static partial Regex DocComment();

    [GeneratedRegex(@"^namespace AffectFuse\.?([A-Za-z]*)", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^using (?:static )?AffectFuse\.([A-Za-z]+)", RegexOptions.Multiline)]
    private static partial Regex Using();

    [GeneratedRegex(@"\bAffectFuse\.([A-Z][A-Za-z]+)\.")]
    private static partial Regex Qualified();
}
