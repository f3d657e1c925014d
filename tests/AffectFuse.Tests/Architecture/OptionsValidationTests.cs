using System.Reflection;
using AffectFuse.Decoding;
using AffectFuse.Faces;
using Xunit;

namespace AffectFuse.Tests.Architecture;

/// <summary>One validation style: every options record checks itself with <c>Validate()</c>, and a bad value is an
/// <see cref="AffectFuseException"/> naming the property, not an argument exception.</summary>
public class OptionsValidationTests
{
    [Fact]
    public void EveryOptionsRecordHasOneValidate()
    {
        var records = typeof(AffectFuseException).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.IsClass && !t.IsAbstract && t.GetMethod("<Clone>$") is not null)
            .ToList();
        Assert.True(records.Count >= 12, $"found only {records.Count} options records");
        var missing = records.Where(t => t.GetMethod("Validate", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is null).Select(t => t.Name);
        Assert.Empty(missing);
    }

    [Fact]
    public void TheDecoderTrackerAndDetectorOptionsNameTheirProperty()
    {
        Assert.Equal("DecodeOptions.MaxSize", Assert.Throws<AffectFuseException>(() => new DecodeOptions { MaxSize = 8 }.Validate()).Option);
        Assert.Equal("FaceTrackerOptions.MaxSizeRatio", Assert.Throws<AffectFuseException>(() => new FaceTrackerOptions { MaxSizeRatio = 0.5f }.Validate()).Option);
        Assert.Equal("FaceTrackerOptions.DetectEvery", Assert.Throws<AffectFuseException>(() => new FaceTracker(null!, new FaceTrackerOptions { DetectEvery = 0 })).Option);
        Assert.Equal("BlazeFaceOptions.MinScore", Assert.Throws<AffectFuseException>(() => new BlazeFaceOptions { MinScore = 1.5f }.Validate()).Option);
    }
}
