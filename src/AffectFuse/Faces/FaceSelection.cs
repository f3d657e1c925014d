namespace AffectFuse.Faces;

/// <summary>Which face to follow when a frame shows several (<c>--face largest|left|right|all</c>).</summary>
public enum FaceSelection
{
    /// <summary>The largest face.</summary>
    Largest,
    /// <summary>The left person of a two-person video (Aff-Wild2 <c>_left</c>).</summary>
    Left,
    /// <summary>The right person of a two-person video (Aff-Wild2 <c>_right</c>).</summary>
    Right,
    /// <summary>Every face, each a person with a stable id (<c>--face all</c>).</summary>
    All,
}
