using AffectFuse.Audio;
using AffectFuse.IO;
using System.Globalization;

namespace AffectFuse.Cli.Demo;

/// <summary>What the demo clip contains, so its output can be read against it.</summary>
/// <param name="Path">The .mp4 written.</param>
/// <param name="Seconds">Duration.</param>
/// <param name="FaceCovered">Span (s) where a box covers the face.</param>
/// <param name="FaceOffFrame">Span (s) where the face is not in the picture at all.</param>
/// <param name="Speech">Spans (s) with speech; the rest is silence.</param>
public sealed record DemoClipInfo(string Path, double Seconds, (double Start, double End) FaceCovered, (double Start, double End) FaceOffFrame,
    IReadOnlyList<(double Start, double End)> Speech);

/// <summary>Builds the short demo video from material the set-up installs: the public-domain astronaut photograph that
/// Debian's python3-skimage ships, and speech synthesised by espeak-ng; a span has the face covered, one has it off frame.</summary>
public static class DemoClip
{
    /// <summary>Where Debian's python3-skimage puts the NASA astronaut portrait (public domain).</summary>
    public const string AstronautPhoto = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";

    /// <summary>The astronaut portrait on this machine: Debian's python3-skimage copy, else one from a scikit-image that
    /// pip installed system-wide (its wheels ship the same file); null when there is none. Absolute paths only, so an
    /// installed tool finds it wherever it runs from.</summary>
    public static string? FindAstronautPhoto()
    {
        if (File.Exists(AstronautPhoto)) return AstronautPhoto;
        foreach (string lib in new[] { "/usr/local/lib", "/usr/lib" }.Where(Directory.Exists))
            foreach (string python in Directory.EnumerateDirectories(lib, "python3*").Order())
                foreach (string packages in new[] { "dist-packages", "site-packages" })
                {
                    string candidate = System.IO.Path.Combine(python, packages, "skimage", "data", "astronaut.png");
                    if (File.Exists(candidate)) return candidate;
                }
        return null;
    }

    private const double Seconds = 12;
    private static readonly (double, double) Covered = (5, 7);
    private static readonly (double, double) OffFrame = (9, 10.5);
    private static readonly (string Text, double Start)[] Sentences =
    [
        ("Hello there! I am so happy to see you today. This is wonderful.", 0.3),
        ("Well, that was a long day, but we made it in the end.", 6.8),
    ];

    /// <summary>Writes the clip to <paramref name="path"/> (atomically) and describes it; <paramref name="photo"/> is the
    /// face (default: <see cref="FindAstronautPhoto"/>).</summary>
    public static DemoClipInfo Create(string path, string? photo = null, string ffmpeg = "ffmpeg", string espeak = "espeak-ng")
    {
        if (photo is null)
            photo = FindAstronautPhoto() ?? throw new AffectFuseException(AstronautPhoto,
                "demo face photo not found; it comes with scikit-image: apt install python3-skimage (scripts/setup.sh does), or pass --photo FILE");
        else if (!File.Exists(photo))
            throw new AffectFuseException(photo, "demo face photo not found (--photo)");
        string full = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string work = Directory.CreateTempSubdirectory("affectfuse-demo-").FullName;
        try
        {
            var speech = new List<(double, double)>();
            var wavs = new List<string>();
            for (int i = 0; i < Sentences.Length; i++)
            {
                string wav = System.IO.Path.Combine(work, $"s{i}.wav");
                ExternalTool.Run(espeak, ["-w", wav, Sentences[i].Text], null, "while making the demo speech");
                wavs.Add(wav);
                speech.Add((Sentences[i].Start, Sentences[i].Start + WavFile.ReadInfo(wav).Seconds));
            }
            string tmp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.tmp.mp4");
            string F(double v) => v.ToString(CultureInfo.InvariantCulture);
            // The photo sways; a dark box follows it during the covered span; the overlay is switched off while off frame.
            string x = "170+60*sin(2*PI*t/6)", y = "90+20*sin(2*PI*t/4)";
            string graph =
                $"[1:v]scale=300:300[face];" +
                $"[0:v][face]overlay=x='{x}':y='{y}':enable='not(between(t,{F(OffFrame.Item1)},{F(OffFrame.Item2)}))':shortest=1[v1];" +
                $"[v1][2:v]overlay=x='50+{x}':y='50+{y}':enable='between(t,{F(Covered.Item1)},{F(Covered.Item2)})'[v];" +
                string.Concat(Sentences.Select((s, i) => $"[{3 + i}:a]adelay={(int)(s.Start * 1000)}:all=1[a{i}];")) +
                string.Concat(Sentences.Select((_, i) => $"[a{i}]")) + $"amix=inputs={Sentences.Length}:normalize=0,apad,atrim=0:{F(Seconds)}[a]";
            var args = new List<string>
            {
                "-y", "-v", "error", "-f", "lavfi", "-i", $"color=c=0x2c3e50:s=640x480:r=25:d={F(Seconds)}",
                "-loop", "1", "-framerate", "25", "-i", photo, "-f", "lavfi", "-i", "color=c=0x111111:s=200x150:r=25",
            };
            foreach (var wav in wavs) args.AddRange(["-i", wav]);
            args.AddRange(["-filter_complex", graph, "-map", "[v]", "-map", "[a]", "-t", F(Seconds), "-c:v", "libx264", "-preset", "veryfast",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-f", "mp4", tmp]);
            ExternalTool.Run(ffmpeg, args, full, "while making the demo clip");
            File.Move(tmp, full, overwrite: true);
            return new DemoClipInfo(full, Seconds, Covered, OffFrame, speech);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}
