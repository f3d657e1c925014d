using System.Diagnostics;
using AffectFuse.Benchmarks.Compose;
using AffectFuse.Faces;
using AffectFuse.Faces.Nets.MediaPipe;
using AffectFuse.Setup;

namespace AffectFuse.Benchmarks;

/// <summary>One emotion's photographs in <see cref="BlendshapeSanityBenchmark"/>.</summary>
/// <param name="Emotion">The label (<c>faces/labels.csv</c>'s spelling).</param>
/// <param name="Photos">Photographs with that label.</param>
/// <param name="Faces">Of them, those where BlazeFace found a face and the mesh agreed.</param>
/// <param name="Means">Mean of each of the 52 scores over those faces, by <see cref="BlendshapeColumns.Names"/>.</param>
public sealed record BlendshapeClassMeans(string Emotion, int Photos, int Faces, IReadOnlyDictionary<string, double> Means);

/// <summary>What <see cref="BlendshapeSanityBenchmark.Run"/> measured.</summary>
/// <param name="Classes">Per emotion, most photographs first.</param>
/// <param name="MedianMsPerFace">Median time of the chain per scored face (crops, mesh, both irises, blendshapes), one thread.</param>
/// <param name="FastestMsPerFace">Fastest such time.</param>
/// <param name="Unreadable">Photographs that could not be decoded.</param>
public sealed record BlendshapeSanityReport(IReadOnlyList<BlendshapeClassMeans> Classes, double MedianMsPerFace, double FastestMsPerFace, int Unreadable);

/// <summary>A sanity check of MediaPipe's blendshape scores on labelled photographs (<c>faces/</c> of the data folder):
/// each photograph's largest face (BlazeFace, front model then back) through the blendshape chain, the scores averaged
/// per label. Smiles should be high on happy faces and low on neutral ones, brows down on angry ones, jaws open and eyes
/// wide on surprised ones; the table says how far that holds.</summary>
public static class BlendshapeSanityBenchmark
{
    /// <summary>The scores the table shows (all 52 are in the report).</summary>
    public static readonly IReadOnlyList<string> Shown =
        ["mouthSmileLeft", "mouthSmileRight", "browDownLeft", "browDownRight", "browInnerUp", "jawOpen", "eyeWideLeft", "eyeWideRight", "mouthFrownLeft", "noseSneerLeft"];

    /// <summary>Runs over every photograph of <paramref name="split"/> (null: all) in <paramref name="dataRoot"/>/faces;
    /// <paramref name="progress"/> hears photographs done and the total.</summary>
    public static BlendshapeSanityReport Run(string dataRoot, ComposeSplit? split = null, Action<int, int>? progress = null)
    {
        var catalogue = FaceCatalogue.Load(Path.Combine(dataRoot, "faces"));
        var photos = catalogue.Photos.Where(p => split is null || p.Split == split).ToList();
        var store = ModelStore.Open();
        using var front = new BlazeFaceDetector(new BlazeFaceOptions { Model = BlazeFaceModel.Front, ModelPath = store.BlazeFaceFront });
        using var back = new BlazeFaceDetector(new BlazeFaceOptions { Model = BlazeFaceModel.Back, ModelPath = store.BlazeFaceBack });
        using var chain = new FaceBlendshapes();
        var sums = new Dictionary<int, (int Photos, int Faces, double[] Sum)>();
        var times = new List<double>();
        var scores = new float[BlendshapeColumns.Count];
        int unreadable = 0, done = 0;
        foreach (var photo in photos)
        {
            var (count, faces, sum) = sums.TryGetValue(photo.Class, out var e) ? e : (0, 0, new double[BlendshapeColumns.Count]);
            var outcome = Score(catalogue.PathOf(photo), front, back, chain, scores, times);
            if (outcome == Outcome.Scored)
            {
                faces++;
                for (int k = 0; k < scores.Length; k++)
                    sum[k] += scores[k];
            }
            unreadable += outcome == Outcome.Unreadable ? 1 : 0;
            sums[photo.Class] = (count + 1, faces, sum);
            progress?.Invoke(++done, photos.Count);
        }
        times.Sort();
        var names = FaceCatalogue.EmotionClasses.ToDictionary(kv => kv.Value, kv => kv.Key);
        var classes = sums.OrderByDescending(kv => kv.Value.Photos).Select(kv => new BlendshapeClassMeans(names[kv.Key], kv.Value.Photos, kv.Value.Faces,
            BlendshapeColumns.Names.Select((n, k) => (n, k)).ToDictionary(p => p.n, p => kv.Value.Faces == 0 ? double.NaN : kv.Value.Sum[p.k] / kv.Value.Faces))).ToList();
        return new BlendshapeSanityReport(classes, times.Count == 0 ? double.NaN : times[times.Count / 2], times.Count == 0 ? double.NaN : times[0], unreadable);
    }

    private enum Outcome { Scored, NoFace, Unreadable }

    private static Outcome Score(string path, BlazeFaceDetector front, BlazeFaceDetector back, FaceBlendshapes chain, float[] scores, List<double> times)
    {
        OpenCvSharp.Mat image;
        try { image = FaceImageLoader.Load(path); }
        catch (AffectFuseException) { return Outcome.Unreadable; }
        using (image)
        {
            // The photographs are close-ups, the front model's domain; the back model catches what it misses.
            var faces = front.Detect(image);
            if (faces.Count == 0)
                faces = back.Detect(image);
            if (faces.Count == 0)
                return Outcome.NoFace;
            var clock = Stopwatch.StartNew();
            if (!chain.Compute(image, faces.MaxBy(f => f.Area)!, scores))
                return Outcome.NoFace; // the mesh's verdict: it stops before the irises, so its time would flatter the chain
            times.Add(clock.Elapsed.TotalMilliseconds);
            return Outcome.Scored;
        }
    }
}
