using Xunit;
using System.Diagnostics;
using OpenCvSharp;

namespace AffectFuse.Tests.Decoding;

/// <summary>Makes test videos with the ffmpeg CLI in a temporary folder that is deleted on dispose.</summary>
public sealed class TestMedia : IDisposable
{
    public TestMedia()
    {
        Folder = Path.Combine(Path.GetTempPath(), "affectfuse-video-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Runs ffmpeg (quiet, overwrite) and fails the test with its stderr if it fails.</summary>
    public static void Ffmpeg(string arguments) => Run("ffmpeg", "-hide_banner -loglevel error -y " + arguments);

    /// <summary>Encodes BGR frames (all of one size) by piping raw bgr24 into ffmpeg.</summary>
    public static void Encode(string path, IEnumerable<Mat> frames, int width, int height, double fps, string codec = "-c:v libx264 -preset ultrafast -crf 18 -pix_fmt yuv420p")
    {
        var psi = new ProcessStartInfo("ffmpeg",
            $"-hide_banner -loglevel error -y -f rawvideo -pix_fmt bgr24 -s {width}x{height} -r {fps.ToString(System.Globalization.CultureInfo.InvariantCulture)} -i - {codec} \"{path}\"")
        { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Start(psi);
        var stderr = p.StandardError.ReadToEndAsync();
        using (var stdin = p.StandardInput.BaseStream)
        {
            var buffer = new byte[width * height * 3];
            foreach (var frame in frames)
            {
                Assert.Equal(new Size(width, height), frame.Size());
                System.Runtime.InteropServices.Marshal.Copy(frame.Data, buffer, 0, buffer.Length);
                stdin.Write(buffer);
            }
        }
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"ffmpeg failed encoding {path}: {stderr.Result}");
    }

    /// <summary>The first frame as ffmpeg itself decodes it (auto-rotation applied), as BGR.</summary>
    public Mat FirstFrameByFfmpeg(string video)
    {
        string png = PathOf(Guid.NewGuid().ToString("N") + ".png");
        Ffmpeg($"-i \"{video}\" -frames:v 1 -pix_fmt bgr24 \"{png}\"");
        return Cv2.ImRead(png, ImreadModes.Color);
    }

    private static void Run(string program, string arguments)
    {
        var psi = new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Start(psi);
        var stdout = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        _ = stdout.Result;
        Assert.True(p.ExitCode == 0, $"{program} {arguments} failed: {err}");
    }

    private static Process Start(ProcessStartInfo psi)
    {
        try
        {
            return Process.Start(psi) ?? throw new InvalidOperationException(psi.FileName);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail($"'{psi.FileName}' is not installed; the setup installs it (apt-get install ffmpeg)");
            throw;
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
