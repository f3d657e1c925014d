namespace AffectFuse.Benchmarks.Compose;

/// <summary>One labelled face photograph.</summary>
/// <param name="Image">File name inside the images folder, as labels.csv names it.</param>
/// <param name="Class">Aff-Wild2 class (contempt → Other).</param>
/// <param name="Identity">The person; no identity is in two splits.</param>
/// <param name="Split">The split the photograph belongs to.</param>
public sealed record FacePhoto(string Image, int Class, string Identity, ComposeSplit Split);
