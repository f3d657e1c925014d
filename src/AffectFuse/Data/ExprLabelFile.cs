namespace AffectFuse.Data;

/// <summary>Aff-Wild2 EXPR annotation files: a header line, then one label (-1..7) per frame.</summary>
public static class ExprLabelFile
{
    /// <summary>Reads labels; a bad header or line is an <see cref="AffectFuseException"/> naming file and line.</summary>
    public static int[] Read(string path) => throw new NotImplementedException("data helper");

    /// <summary>Writes atomically.</summary>
    public static void Write(string path, IReadOnlyList<int> labels) => throw new NotImplementedException("data helper");
}
