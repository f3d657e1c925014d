using OpenCvSharp;

namespace AffectFuse.Benchmarks.Compose;

/// <summary>Decodes face photographs by content, not by extension (one of the data set's ".jpg" files is WebP).</summary>
public static class FaceImageLoader
{
    /// <summary>Reads <paramref name="path"/> as a 3-channel BGR image; an unreadable file is an <see cref="AffectFuseException"/> naming it.</summary>
    public static Mat Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new AffectFuseException(path, "face image not found"); }
        catch (IOException e) { throw new AffectFuseException(path, $"cannot read: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new AffectFuseException(path, $"cannot read: {e.Message}", e); }
        Mat image;
        try { image = Cv2.ImDecode(bytes, ImreadModes.Color); }
        catch (OpenCVException e) { throw new AffectFuseException(path, $"not a decodable image: {e.Message}", e); }
        if (image.Empty() || image.Width < 8 || image.Height < 8)
        {
            image.Dispose();
            throw new AffectFuseException(path, "not a decodable image (or smaller than 8x8)");
        }
        return image;
    }
}
