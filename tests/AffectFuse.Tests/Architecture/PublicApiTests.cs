using AffectFuse.Inference;
using AffectFuse.Workflows;
using Xunit;

namespace AffectFuse.Tests.Architecture;

/// <summary>The NuGet package's public surface is chosen on purpose (tracked in src/AffectFuse/PublicAPI.Shipped.txt):
/// a small number of public top-level types, the façade and its results among them; everything else is internal.</summary>
public class PublicApiTests
{
    private const int MaxPublicTopLevelTypes = 60;

    private static readonly Type[] PublicTopLevel =
        typeof(Recognizer).Assembly.GetExportedTypes().Where(t => !t.IsNested).ToArray();

    [Fact]
    public void TheLibraryExportsAtMostSixtyTopLevelTypes()
    {
        var names = PublicTopLevel.Select(t => t.FullName).Order(StringComparer.Ordinal);
        Assert.True(PublicTopLevel.Length <= MaxPublicTopLevelTypes,
            $"{PublicTopLevel.Length} public top-level types (at most {MaxPublicTopLevelTypes}):\n{string.Join("\n", names)}");
    }

    [Fact]
    public void TheFacadeItsResultAndTheExceptionArePublic()
    {
        Assert.Contains(typeof(Recognizer), PublicTopLevel);
        Assert.Contains(typeof(VideoPrediction), PublicTopLevel);
        Assert.Contains(typeof(AffectFuseException), PublicTopLevel);
    }
}
