using AffectFuse.IO;
using Xunit;

namespace AffectFuse.Tests.IO;

public class StageProfileTests
{
    [Fact]
    public void AThreadThatSleepsUsesNoCpuTimeAndOneThatSpinsDoesAsDoesItsProcess()
    {
        long start = CpuClock.Thread();
        Thread.Sleep(200);
        long slept = CpuClock.Thread() - start;
        start = CpuClock.Thread();
        long processStart = CpuClock.Process();
        Spin(TimeSpan.FromMilliseconds(200));
        long spun = CpuClock.Thread() - start, processSpun = CpuClock.Process() - processStart;
        Assert.True(spun > 100_000_000, $"spinning 200 ms took {spun / 1e6:0} ms of CPU");
        Assert.True(processSpun >= spun - 10_000_000, $"the process used {processSpun / 1e6:0} ms while this thread used {spun / 1e6:0} ms");
        if (OperatingSystem.IsLinux())
            Assert.True(slept < 50_000_000, $"sleeping 200 ms took {slept / 1e6:0} ms of CPU");
    }

    [Fact]
    public void TimedAttributesProducingEachItemLessTheNestedStages()
    {
        var profile = new StageProfile();
        IEnumerable<int> Inner()
        {
            for (int i = 0; i < 3; i++)
            {
                Spin(TimeSpan.FromMilliseconds(40));
                yield return i;
            }
        }
        IEnumerable<int> Outer(IEnumerable<int> items)
        {
            foreach (int i in items)
            {
                Spin(TimeSpan.FromMilliseconds(20));
                yield return i;
            }
        }
        var items = profile.Timed(Outer(profile.Timed(Inner(), ProfiledStage.Decode)), ProfiledStage.Track, ProfiledStage.Decode).ToList();

        Assert.Equal([0, 1, 2], items);
        Assert.Equal(4, profile.Calls(ProfiledStage.Decode)); // three items and the end
        Assert.InRange(profile.Seconds(ProfiledStage.Decode), 0.10, 0.30);
        Assert.InRange(profile.Seconds(ProfiledStage.Track), 0.05, 0.09);
        Assert.Equal([ProfiledStage.Decode, ProfiledStage.Track], profile.Recorded);
    }

    [Fact]
    public void EachStageNamesItsThread()
    {
        Assert.Equal("frames", StageProfile.ThreadOf(ProfiledStage.Detect));
        Assert.Equal("face nets", StageProfile.ThreadOf(ProfiledStage.FaceApiExpression));
        Assert.Equal("audio", StageProfile.ThreadOf(ProfiledStage.Vad));
        Assert.Equal("caller", StageProfile.ThreadOf(ProfiledStage.Model));
    }

    private static void Spin(TimeSpan time)
    {
        long start = CpuClock.Thread();
        while (CpuClock.Thread() - start < time.Ticks * 100)
            Thread.SpinWait(100);
    }
}
