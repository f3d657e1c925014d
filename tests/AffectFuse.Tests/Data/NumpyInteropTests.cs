using System.Runtime.InteropServices;
using AffectFuse.Data;
using Xunit;

namespace AffectFuse.Tests.Data;

/// <summary>Checks our .npy/.npz against numpy itself, in both directions.</summary>
public class NumpyInteropTests
{
    private const string WriteFeatureArchives = """
import sys, json
out = sys.argv[1]
rng = np.random.default_rng(7)
T = 50
visual = rng.normal(size=(T, 6)).astype(np.float16)
visual[3] = 0
visual[4, 0] = np.float16(6.0e-8)      # float16 subnormal
audio = rng.normal(size=(T, 5)).astype(np.float32)
vm = rng.random(T) > 0.3
am = rng.random(T) > 0.2
ts = np.arange(T) / 29.97
meta = np.array(json.dumps({"fps": 29.97, "visual_features": "py-vis", "visual_version": "9", "audio_features": "py-aud", "audio_version": "8"}))
arrays = dict(visual=visual, visual_mask=vm, audio=audio, audio_mask=am, timestamps=ts, meta=meta)
np.savez(f"{out}/stored.npz", **arrays)
np.savez_compressed(f"{out}/deflated.npz", **arrays)
for k in ["visual", "visual_mask", "audio", "audio_mask", "timestamps"]:
    arrays[k].tofile(f"{out}/{k}.bin")
for major in (1, 2, 3):
    with open(f"{out}/v{major}.npy", "wb") as f:
        np.lib.format.write_array(f, audio, version=(major, 0))
np.save(f"{out}/i8.npy", np.arange(-3, 9, dtype=np.int64).reshape(3, 4))
np.save(f"{out}/i4.npy", np.array([-2147483648, 5, 2147483647], dtype=np.int32))
np.save(f"{out}/u1.npy", np.array([[0, 255], [7, 128]], dtype=np.uint8))
np.save(f"{out}/b1.npy", np.array([True, False, True]))
np.save(f"{out}/f8.npy", ts)
np.save(f"{out}/u.npy", np.array("naïve 😀"))
np.save(f"{out}/fortran.npy", np.asfortranarray(audio))
np.save(f"{out}/bigendian.npy", audio.astype(">f4"))
np.save(f"{out}/complex.npy", np.zeros(3, dtype=np.complex64))
print("written")
""";

    [Fact]
    public void ReadsNumpySavezAndSavezCompressedExactly()
    {
        using var dir = new TempFolder();
        PythonNumpy.Run(WriteFeatureArchives, dir.Path);
        var visual = MemoryMarshal.Cast<byte, Half>(File.ReadAllBytes(dir.File("visual.bin"))).ToArray();
        var audio = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(dir.File("audio.bin"))).ToArray();
        var timestamps = MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(dir.File("timestamps.bin"))).ToArray();
        var visualMask = File.ReadAllBytes(dir.File("visual_mask.bin")).Select(b => b != 0).ToArray();
        var audioMask = File.ReadAllBytes(dir.File("audio_mask.bin")).Select(b => b != 0).ToArray();

        foreach (string name in new[] { "stored", "deflated" })
        {
            var raw = NpzArchive.Read(dir.File(name + ".npz"));
            Assert.Equal(NpyDType.Float16, raw["visual"].DType);
            Assert.Equal(visual, raw["visual"].Data);

            var f = FeatureFile.Load(dir.File(name + ".npz"));
            Assert.Equal(name, f.VideoId);
            Assert.Equal(50, f.FrameCount);
            Assert.Equal(6, f.VisualDim);
            Assert.Equal(5, f.AudioDim);
            Assert.Equal(visual.Select(h => (float)h).ToArray(), f.Visual.ToSingles());
            Assert.Equal(6.0e-8f, f.Visual.ToSingles()[4 * 6], 1e-9f);
            Assert.Equal(audio, f.Audio.ToSingles());
            Assert.Equal(timestamps, f.Timestamps);
            Assert.Equal(visualMask, f.VisualMask);
            Assert.Equal(audioMask, f.AudioMask);
            Assert.Equal(new FeatureMeta { Fps = 29.97, VisualFeatures = "py-vis", VisualVersion = "9", AudioFeatures = "py-aud", AudioVersion = "8" }, f.Meta);
        }

        foreach (int major in new[] { 1, 2, 3 })
            Assert.Equal(audio, NpyFormat.Read(dir.File($"v{major}.npy")).Data);
        var i8 = NpyFormat.Read(dir.File("i8.npy"));
        Assert.Equal(new[] { 3, 4 }, i8.Shape);
        Assert.Equal(Enumerable.Range(-3, 12).Select(i => (long)i).ToArray(), i8.Data);
        Assert.Equal(new[] { int.MinValue, 5, int.MaxValue }, NpyFormat.Read(dir.File("i4.npy")).Data);
        Assert.Equal(new byte[] { 0, 255, 7, 128 }, NpyFormat.Read(dir.File("u1.npy")).Data);
        Assert.Equal(new[] { true, false, true }, NpyFormat.Read(dir.File("b1.npy")).Data);
        Assert.Equal(timestamps, NpyFormat.Read(dir.File("f8.npy")).Data);
        var u = NpyFormat.Read(dir.File("u.npy"));
        Assert.Equal(NpyDType.Unicode, u.DType);
        Assert.Empty(u.Shape);
        Assert.Equal(new[] { "naïve 😀" }, u.Data);

        foreach (var (file, dtype) in new[] { ("fortran.npy", "'<f4'"), ("bigendian.npy", "'>f4'"), ("complex.npy", "'<c8'") })
        {
            var e = Assert.Throws<AffectFuseException>(() => NpyFormat.Read(dir.File(file)));
            Assert.Equal(dir.File(file), e.File);
            Assert.Contains(dtype, e.Message);
        }
    }

    private const string CheckOurFeatureFile = """
import sys, json, zipfile
path, T, dv, da = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
z = np.load(path, allow_pickle=False)
assert sorted(z.files) == ["audio", "audio_mask", "meta", "timestamps", "visual", "visual_mask"], z.files
t = np.arange(T)[:, None]
exp_v = (((t * 31 + np.arange(dv)[None, :] * 7) % 97) - 48) / np.float32(16)
exp_a = (((t * 13 + np.arange(da)[None, :] * 5) % 89) - 44) / np.float32(8)
assert z["visual"].dtype == np.float32 and z["visual"].shape == (T, dv), (z["visual"].dtype, z["visual"].shape)
assert z["audio"].dtype == np.float32 and z["audio"].shape == (T, da)
assert np.array_equal(z["visual"], exp_v.astype(np.float32))
assert np.array_equal(z["audio"], exp_a.astype(np.float32))
assert z["visual_mask"].dtype == np.bool_ and np.array_equal(z["visual_mask"], np.arange(T) % 3 != 0)
assert z["audio_mask"].dtype == np.bool_ and np.array_equal(z["audio_mask"], np.arange(T) % 5 != 1)
assert z["timestamps"].dtype == np.float64 and np.array_equal(z["timestamps"], np.arange(T) / 25.0)
assert z["meta"].shape == () and z["meta"].dtype.kind == "U"
meta = json.loads(str(z["meta"]))
assert meta == {"fps": 25.0, "visual_features": "test-visual", "visual_version": "2", "audio_features": "test-audio", "audio_version": "3"}, meta
kinds = {i.compress_type for i in zipfile.ZipFile(path).infolist()}
print("ok", sorted(kinds))
""";

    [Fact]
    public void NumpyReadsOurFeatureFile()
    {
        using var dir = new TempFolder();
        string path = dir.File("10-60-1280x720_right.npz");
        FeatureFile.Save(TestFeatures.Make("x", 40, 7, 5), path);
        string output = PythonNumpy.Run(CheckOurFeatureFile, path, "40", "7", "5");
        Assert.Equal("ok [8]", output.Trim()); // 8 = zipfile.ZIP_DEFLATED
    }

    private const string CheckOurArrays = """
import sys, zipfile
d = sys.argv[1]
z = np.load(f"{d}/stored.npz", allow_pickle=False)
assert {i.compress_type for i in zipfile.ZipFile(f"{d}/stored.npz").infolist()} == {0}
expect = {
  "f4": np.array([1.5, -0.0, 3.4028235e38], dtype="<f4"),
  "f2": np.array([[0.5, -2.75], [65504, 6.0e-8]], dtype="<f2"),
  "f8": np.array([np.pi, -1e300], dtype="<f8"),
  "b1": np.array([True, False, True]),
  "i8": np.array([-(2**63), 2**63 - 1], dtype="<i8"),
  "i4": np.array([[-(2**31)], [7]], dtype="<i4"),
  "u1": np.array([0, 200, 255], dtype="|u1"),
  "u": np.array("naïve 😀"),
}
for k, e in expect.items():
    for a in (z[k], np.load(f"{d}/{k}.npy", allow_pickle=False)):
        assert a.dtype == e.dtype and a.shape == e.shape and np.array_equal(a, e), (k, a, a.dtype, e)
print("ok")
""";

    [Fact]
    public void NumpyReadsEveryDTypeWeWrite()
    {
        using var dir = new TempFolder();
        var arrays = new (string, NpyArray)[]
        {
            ("f4", NpyArray.Of(new[] { 1.5f, -0f, float.MaxValue }, 3)),
            ("f2", NpyArray.Of(new[] { (Half)0.5f, (Half)(-2.75f), Half.MaxValue, (Half)6.0e-8f }, 2, 2)),
            ("f8", NpyArray.Of(new[] { Math.PI, -1e300 }, 2)),
            ("b1", NpyArray.Of(new[] { true, false, true }, 3)),
            ("i8", NpyArray.Of(new[] { long.MinValue, long.MaxValue }, 2)),
            ("i4", NpyArray.Of(new[] { int.MinValue, 7 }, 2, 1)),
            ("u1", NpyArray.Of(new byte[] { 0, 200, 255 }, 3)),
            ("u", NpyArray.Scalar("naïve 😀")),
        };
        NpzArchive.Write(dir.File("stored.npz"), arrays, compressed: false);
        foreach (var (name, array) in arrays) NpyFormat.Write(dir.File(name + ".npy"), array);
        Assert.Equal("ok", PythonNumpy.Run(CheckOurArrays, dir.Path).Trim());
    }
}
