namespace AffectFuse.IO;

/// <summary>The check every binary input (video, feature file, checkpoint) passes before it is opened.</summary>
internal static class InputFile
{
    /// <summary>Throws an <see cref="AffectFuseException"/> naming <paramref name="path"/> unless it is a file with content.
    /// </summary>
    /// <remarks>A named pipe, a device or a socket reports length 0 and opening one for reading can wait forever for a
    /// writer; none of these inputs can be empty, so length 0 refuses them all without touching them.</remarks>
    public static void RequireContent(string path, string what)
    {
        if (Directory.Exists(path))
            throw new AffectFuseException(path, $"is a folder, not a {what}");
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new AffectFuseException(path, $"{what} not found");
        if (info.Length == 0)
            throw new AffectFuseException(path, $"is empty, or not a regular file (a named pipe or a device, which are not read: a {what} is read as a whole file)");
    }
}
