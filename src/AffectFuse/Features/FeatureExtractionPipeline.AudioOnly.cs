using System.Diagnostics;
using AffectFuse.Data;
using AffectFuse.Decoding;

namespace AffectFuse.Features;

internal sealed partial class FeatureExtractionPipeline
{
    /// <summary>A file with sound and no picture: frames by <see cref="AudioOnlyFrames"/>, each with the audio row a video's
    /// frame at that time would get, and no face (zero visual rows, a false mask).</summary>
    /// <remarks>One thread: with nothing to decode, track or run through the face nets, the audio stage is all the work,
    /// and the detector and face nets never see the file.</remarks>
    private VideoFeatures ExtractAudioOnly(MediaStreams streams, IProgress<ExtractionProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        int? expected = streams.Duration is { } declared ? AudioOnlyFrames.Count(declared) : null;
        var timestamps = new RowBuffer<double>(1, expected ?? 1024);
        var audioMask = new RowBuffer<bool>(1, expected ?? 1024);
        var audio = new RowBuffer<float>(AudioDim, expected ?? 1024);
        using var pcm = _audioDecoder.Decode(streams.Path);
        var timeline = new AudioOnlyTimeline(pcm.ReadChunks(_audio.Options.DecoderChunkSamples), streams.Duration);
        int n = 0;
        var reported = TimeSpan.Zero;
        using (var stream = _audio.OpenStream(timeline.Chunks()))
        {
            foreach (double time in timeline.Times())
            {
                cancellationToken.ThrowIfCancellationRequested();
                timestamps.EnsureRows(n + 1);
                audioMask.EnsureRows(n + 1);
                audio.EnsureRows(n + 1);
                timestamps[n] = time;
                audioMask[n] = stream.Next(time, audio.Row(n));
                n++;
                if (progress is not null && clock.Elapsed - reported >= ProgressInterval)
                {
                    reported = clock.Elapsed;
                    progress.Report(new ExtractionProgress(streams.Path, n, expected, n / reported.TotalSeconds, reported));
                }
            }
        }
        if (n == 0)
            throw new AffectFuseException(streams.Path, "audio stream holds no decodable sound (corrupt or truncated)");
        progress?.Report(new ExtractionProgress(streams.Path, n, expected, n / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), clock.Elapsed));
        double wall = clock.Elapsed.TotalSeconds;
        // No FramesDeclared: a compressed file's container duration counts padding the decoder drops, so falling short of
        // it is no sign of damage, as it is for a video's frame count.
        LastStatistics = new ExtractionStatistics(n, 0, 0, n / (double)AudioOnlyFrames.FramesPerSecond, wall, 0, 0, wall);
        return Assemble(streams.Path, FeatureMatrix.Zeros(n, VisualDim), new bool[n], FeatureMatrix.Of(audio.ToArray(n), AudioDim),
            audioMask.ToArray(n), timestamps.ToArray(n), AudioOnlyFrames.FramesPerSecond);
    }
}
