using System.CommandLine;
using AffectFuse.Data;

namespace AffectFuse.Cli;

/// <summary>The options every data-reading command shares: where features (and labels) are.</summary>
public sealed class FeatureSourceOptions
{
    private readonly Option<DirectoryInfo?> _features;
    private readonly Option<DirectoryInfo?> _visualNpy;
    private readonly Option<DirectoryInfo?> _audioNpy;
    private readonly Option<double> _fps;

    /// <summary>Creates the options with a prefix (e.g. "val-") so one command can read two data sets.</summary>
    public FeatureSourceOptions(string prefix = "", string what = "")
    {
        _features = new Option<DirectoryInfo?>($"--{prefix}features") { Description = $"Folder of per-video .npz feature files{what}" };
        _visualNpy = new Option<DirectoryInfo?>($"--{prefix}visual-npy") { Description = $"Bring your own features: folder of visual <video>.npy [T,D] files{what}" };
        _audioNpy = new Option<DirectoryInfo?>($"--{prefix}audio-npy") { Description = $"Bring your own features: folder of audio <video>.npy [T,D] files{what}" };
        _fps = new Option<double>($"--{prefix}fps") { Description = "Frame rate assumed for .npy features (they carry no timestamps)", DefaultValueFactory = _ => 30 };
    }

    /// <summary>The <c>--features</c> option.</summary>
    public Option<DirectoryInfo?> FeaturesOption => _features;

    /// <summary>The <c>--visual-npy</c> option.</summary>
    public Option<DirectoryInfo?> VisualNpyOption => _visualNpy;

    /// <summary>The <c>--audio-npy</c> option.</summary>
    public Option<DirectoryInfo?> AudioNpyOption => _audioNpy;

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_features);
        command.Options.Add(_visualNpy);
        command.Options.Add(_audioNpy);
        command.Options.Add(_fps);
    }

    /// <summary>The data source the user named, with <paramref name="labels"/>; an error if none was named.</summary>
    public DatasetSource Resolve(ParseResult parse, string? labels)
    {
        var features = parse.GetValue(_features);
        var visual = parse.GetValue(_visualNpy);
        var audio = parse.GetValue(_audioNpy);
        if (features is null && visual is null && audio is null)
            throw new AffectFuseException(null, $"no features given: use {_features.Name} DIR, or {_visualNpy.Name} / {_audioNpy.Name} DIR");
        foreach (var dir in new[] { features, visual, audio })
            if (dir is not null && !dir.Exists)
                throw new AffectFuseException(dir.FullName, "folder does not exist");
        if (labels is not null && !Directory.Exists(labels))
            throw new AffectFuseException(labels, "label folder does not exist");
        return new DatasetSource
        {
            FeaturesDir = features?.FullName, VisualNpyDir = visual?.FullName, AudioNpyDir = audio?.FullName,
            LabelsDir = labels, Fps = parse.GetValue(_fps),
        };
    }
}
