namespace AffectFuse.Workflows;

/// <summary>The model that ships with AffectFuse (trained on the composed EmoDB + face-photo benchmark; see the README's
/// accuracy section), copied next to the library at build time so <c>predict</c> and <see cref="Recognizer.Load"/> work
/// with no <c>--model</c>.</summary>
public static class DefaultModel
{
    /// <summary>File name of the shipped checkpoint inside the <c>default-model</c> folder.</summary>
    public const string FileName = "affectfuse-default.ckpt";

    /// <summary>Where the shipped checkpoint is expected.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "default-model", FileName);

    /// <summary>The shipped checkpoint's path; an <see cref="AffectFuseException"/> if this build has none.</summary>
    public static string Require() => File.Exists(Path)
        ? Path
        : throw new AffectFuseException(Path, $"no default model in this build (assets/default-model/ is missing); give a checkpoint ({OptionName.Of("EvaluationRequest.ModelPath")})");
}
