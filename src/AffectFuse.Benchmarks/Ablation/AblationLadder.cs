using AffectFuse.Audio;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.Model;

namespace AffectFuse.Benchmarks.Ablation;

/// <summary>The ablation ladder: single-modality and concatenation baselines, then the paper's method built up one
/// component at a time, each rung adding one thing to the rung above it.</summary>
public static class AblationLadder
{
    /// <summary>Every rung, in order.</summary>
    public static IReadOnlyList<AblationConfig> Standard { get; } =
    [
        new() { Name = "visual-only", Description = "visual branch only", Modalities = ModalityUse.VisualOnly },
        new() { Name = "audio-only", Description = "audio branch only", Modalities = ModalityUse.AudioOnly },
        new() { Name = "concat", Description = "both streams, concatenation fusion (no cross-attention)", Fusion = FusionKind.Concat },
        new() { Name = "cross-unsafe", Description = "cross-attention + gate, plain masked softmax", SafeAttention = false },
        new() { Name = "cross-safe", Description = "cross-attention + gate, safe attention", ReportPerClass = true },
        new() { Name = "+modality-dropout", Description = "+ modality dropout", ModalityDropout = true, ReportPerClass = true },
        new() { Name = "+focal", Description = "+ focal loss (γ = 2, inverse-frequency α)", ModalityDropout = true, FocalLoss = true, ReportPerClass = true },
        new()
        {
            Name = "+soft-voting", Description = "+ sliding-window soft voting (S < T, chosen on validation)", ModalityDropout = true, FocalLoss = true,
            Tuning = InferenceTuning.SoftVoting, ReusesModelsOf = "+focal",
        },
        new()
        {
            Name = "+smoothing", Description = "+ centred smoothing (δ chosen on validation)", ModalityDropout = true, FocalLoss = true,
            Tuning = InferenceTuning.Smoothing, ReusesModelsOf = "+focal", InferenceFrom = "+soft-voting",
        },
        // Off the ladder: +focal with the much stronger face-stream dropout the shipped model uses (chosen on validation),
        // to show on test whether making the model work without faces most of the time lets fusion beat audio alone.
        new()
        {
            Name = "strong-dropout", Description = "+focal with modality dropout p_v = 0.75, p_a = 0.05 (the shipped model's training)",
            ModalityDropout = true, FocalLoss = true, ReportPerClass = true,
            DropoutSettings = new ModalityDropoutOptions { VisualProbability = 0.75, AudioProbability = 0.05 },
        },
    ];

    /// <summary>The feature-set ladder, on data extracted with every group (<c>extract --visual all --audio all</c>):
    /// the original set (mini-Xception + prosody), then face-api's expression net, the landmark geometry and the speech
    /// embedding each added alone, everything, and face-api with the embedding (with and without the mini-Xception); each
    /// modality alone (once per distinct set of its groups) and fused, with the paper's recipe (modality dropout + focal
    /// loss) and with the strong face-stream dropout of the <c>strong-dropout</c> rung.</summary>
    public static IReadOnlyList<AblationConfig> FeatureSets { get; } = BuildFeatureSets();

    /// <summary>The ladders by name (<c>--ladder</c>).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<AblationConfig>> Ladders { get; } =
        new Dictionary<string, IReadOnlyList<AblationConfig>>(StringComparer.OrdinalIgnoreCase) { ["standard"] = Standard, ["features"] = FeatureSets };

    private static List<AblationConfig> BuildFeatureSets()
    {
        const VisualFeatureGroups mx = VisualFeatureGroups.MiniXception, faceApi = VisualFeatureGroups.FaceApiExpression, marks = VisualFeatureGroups.Landmarks;
        const AudioFeatureGroups prosody = AudioFeatureGroups.Prosody, embedding = AudioFeatureGroups.SpeechEmbedding;
        (string Name, VisualFeatureGroups Visual, AudioFeatureGroups Audio)[] sets =
        [
            ("current", mx, prosody), ("+faceapi", mx | faceApi, prosody), ("+landmarks", mx | marks, prosody),
            ("+embedding", mx, prosody | embedding), ("all", mx | faceApi | marks, prosody | embedding),
            ("+faceapi+embedding", mx | faceApi, prosody | embedding), ("faceapi+embedding", faceApi, prosody | embedding),
        ];
        var strong = Standard.Single(c => c.Name == "strong-dropout").DropoutSettings;
        var rungs = new List<AblationConfig>();
        foreach (var visual in sets.Select(s => s.Visual).Distinct())
            rungs.Add(new() { Name = $"visual-only[{VisualFeatureLayout.Name(visual)}]", Description = "visual branch only", Modalities = ModalityUse.VisualOnly, VisualGroups = visual, AudioGroups = prosody });
        foreach (var audio in sets.Select(s => s.Audio).Distinct())
            rungs.Add(new() { Name = $"audio-only[{AudioFeatureSets.Name(audio)}]", Description = "audio branch only", Modalities = ModalityUse.AudioOnly, VisualGroups = mx, AudioGroups = audio });
        foreach (var (name, visual, audio) in sets)
        {
            string groups = $"{VisualFeatureLayout.Name(visual)} + {AudioFeatureSets.Name(audio)}";
            rungs.Add(new()
            {
                Name = $"fused[{name}]", Description = $"both streams, modality dropout + focal loss; {groups}",
                ModalityDropout = true, FocalLoss = true, VisualGroups = visual, AudioGroups = audio, ReportPerClass = true,
            });
        }
        foreach (var (name, visual, audio) in sets)
            rungs.Add(new()
            {
                Name = $"fused-strong[{name}]", Description = $"both streams, modality dropout p_v = {strong!.VisualProbability}, p_a = {strong.AudioProbability} + focal loss; {VisualFeatureLayout.Name(visual)} + {AudioFeatureSets.Name(audio)}",
                ModalityDropout = true, FocalLoss = true, DropoutSettings = strong, VisualGroups = visual, AudioGroups = audio, ReportPerClass = true,
            });
        return rungs;
    }

    /// <summary>The named rungs of <paramref name="ladder"/> plus every rung they depend on, in ladder order; all of them
    /// when <paramref name="names"/> is null or empty. An unknown name is an <see cref="AffectFuseException"/> listing the known ones.</summary>
    public static IReadOnlyList<AblationConfig> Select(IEnumerable<string>? names, IReadOnlyList<AblationConfig>? ladder = null)
    {
        ladder ??= Standard;
        var wanted = names?.Select(n => n.Trim()).Where(n => n.Length > 0).ToList() ?? [];
        if (wanted.Count == 0)
            return ladder;
        var byName = ladder.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        foreach (string name in wanted)
        {
            if (!byName.TryGetValue(name, out var config))
                throw new AffectFuseException("--configs", $"unknown ablation configuration '{name}'; choose from {string.Join(", ", ladder.Select(c => c.Name))}");
            pending.Push(config.Name);
        }
        while (pending.TryPop(out var name))
        {
            if (!chosen.Add(name)) continue;
            foreach (string dependency in byName[name].Dependencies)
                pending.Push(dependency);
        }
        return ladder.Where(c => chosen.Contains(c.Name)).ToList();
    }
}
