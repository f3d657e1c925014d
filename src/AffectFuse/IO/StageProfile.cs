namespace AffectFuse.IO;

/// <summary>CPU time and call counts per <see cref="ProfiledStage"/>, added to from several threads.</summary>
/// <remarks>Always on: a reading costs about a microsecond and there are a few per frame.</remarks>
internal sealed class StageProfile
{
    private static readonly int StageCount = Enum.GetValues<ProfiledStage>().Length;

    private readonly long[] _nanoseconds = new long[StageCount];
    private readonly long[] _calls = new long[StageCount];

    /// <summary>The thread a stage runs on: the decoder's, the frames thread (detect, track, align), the face-net thread,
    /// the audio thread, or the caller's (the model).</summary>
    public static string ThreadOf(ProfiledStage stage) => stage switch
    {
        ProfiledStage.Decode => "decoder",
        <= ProfiledStage.Align => "frames",
        <= ProfiledStage.Blendshapes => "face nets",
        <= ProfiledStage.AudioPooling => "audio",
        _ => "caller",
    };

    /// <summary>A reading of the calling thread's CPU clock, to pass to <see cref="Stop"/>.</summary>
    public static long Start() => CpuClock.Thread();

    /// <summary>Adds the calling thread's CPU time since <paramref name="start"/> to <paramref name="stage"/>; returns the
    /// clock's reading now, to start the next stage from.</summary>
    public long Stop(ProfiledStage stage, long start)
    {
        long now = CpuClock.Thread();
        Add(stage, now - start);
        return now;
    }

    /// <summary>Adds <paramref name="nanoseconds"/> of CPU time and one call to <paramref name="stage"/>.</summary>
    public void Add(ProfiledStage stage, long nanoseconds)
    {
        Interlocked.Add(ref _nanoseconds[(int)stage], Math.Max(0, nanoseconds));
        Interlocked.Increment(ref _calls[(int)stage]);
    }

    /// <summary>Yields <paramref name="source"/>'s items, adding the CPU time spent producing each to
    /// <paramref name="stage"/>, less the time the <paramref name="nested"/> stages recorded meanwhile (stages the source
    /// runs itself, which are recorded apart).</summary>
    public IEnumerable<T> Timed<T>(IEnumerable<T> source, ProfiledStage stage, params ProfiledStage[] nested)
    {
        using var items = source.GetEnumerator();
        while (true)
        {
            long inner = NestedNanoseconds(nested), start = Start();
            bool more = items.MoveNext();
            Add(stage, CpuClock.Thread() - start - (NestedNanoseconds(nested) - inner));
            if (!more)
                yield break;
            yield return items.Current;
        }
    }

    private long NestedNanoseconds(ProfiledStage[] stages)
    {
        long sum = 0;
        foreach (var s in stages)
            sum += Interlocked.Read(ref _nanoseconds[(int)s]);
        return sum;
    }

    /// <summary>CPU seconds recorded for <paramref name="stage"/>.</summary>
    public double Seconds(ProfiledStage stage) => Interlocked.Read(ref _nanoseconds[(int)stage]) / 1e9;

    /// <summary>Calls recorded for <paramref name="stage"/>.</summary>
    public long Calls(ProfiledStage stage) => Interlocked.Read(ref _calls[(int)stage]);

    /// <summary>The stages with any time recorded, in path order.</summary>
    public IEnumerable<ProfiledStage> Recorded => Enum.GetValues<ProfiledStage>().Where(s => Calls(s) > 0);
}
