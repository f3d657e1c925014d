using System.Text;
using System.Text.Json;

namespace AffectFuse.Tests.Faces.Nets;

/// <summary>Writes small hand-made TF.js graph models (model.json + weights.bin) into a temporary folder.</summary>
internal sealed class TinyTfjsGraph : IDisposable
{
    private readonly List<object> nodes = [];
    private readonly List<object> specs = [];
    private readonly MemoryStream weights = new();

    public string Folder { get; } = Directory.CreateTempSubdirectory("affectfuse-tfjs-").FullName;

    public string ModelPath => Path.Combine(Folder, "model.json");

    public static object S(string value) => new { s = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) };

    public static object Ints(params long[] values) => new { list = new { i = values.Select(v => v.ToString()).ToArray() } };

    public static object Strings(params string[] values) =>
        new { list = new { s = values.Select(v => Convert.ToBase64String(Encoding.UTF8.GetBytes(v))).ToArray() } };

    public TinyTfjsGraph Placeholder(string name, params long[] shape) =>
        Node(name, "Placeholder", [], new Dictionary<string, object>
        {
            ["shape"] = new { shape = new { dim = shape.Select(d => new { size = d.ToString() }).ToArray() } },
        });

    public TinyTfjsGraph Const(string name, long[] shape, float[] values)
    {
        specs.Add(new { name, shape, dtype = "float32" });
        foreach (float v in values)
            weights.Write(BitConverter.GetBytes(v));
        return Node(name, "Const", [], new Dictionary<string, object>());
    }

    public TinyTfjsGraph Node(string name, string op, string[] inputs, Dictionary<string, object> attr)
    {
        nodes.Add(new { name, op, input = inputs, attr });
        return this;
    }

    public string Write()
    {
        var model = new
        {
            format = "graph-model",
            modelTopology = new { node = nodes },
            weightsManifest = new[] { new { paths = new[] { "weights.bin" }, weights = specs } },
        };
        File.WriteAllText(ModelPath, JsonSerializer.Serialize(model));
        File.WriteAllBytes(Path.Combine(Folder, "weights.bin"), weights.ToArray());
        return ModelPath;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
