using System.Text;
using System.Text.Json;
using AffectFuse.IO;
using AffectFuse.Training;
using TorchSharp;
using static TorchSharp.torch;
using AffectFuse.Model;

namespace AffectFuse.Training;

/// <summary>Exports a model's weights as a <c>.safetensors</c> file that PyTorch (and <c>bench/reference_model.py</c>) can read.</summary>
/// <remarks>
/// Written by hand — no safetensors package exists for .NET in the mirror, and the format is tiny: an unsigned 64-bit
/// little-endian header length, a UTF-8 JSON header (space-padded to 8 bytes) mapping each state-dict name to
/// {dtype, shape, data_offsets}, then the raw little-endian tensor bytes. All tensors are written as F32. The model options
/// travel in the header's <c>__metadata__</c> (a string→string map) as JSON under <see cref="ModelOptionsKey"/>.
/// </remarks>
internal static class SafetensorsExport
{
    /// <summary>Metadata key holding the <see cref="ModelOptions"/> JSON.</summary>
    public const string ModelOptionsKey = "affectfuse.model_options";

    /// <summary>Metadata key holding, for a model with the face prior, the columns of each face net's probabilities and
    /// the class each column maps to (JSON: <c>[{"columns": […], "classes": […]}, …]</c>, face-api first).</summary>
    public const string FacePriorKey = "affectfuse.face_prior";

    /// <summary>Metadata key holding, for a model with the audio level reference, the log-energy column and each
    /// column's share of the reference (JSON: <c>{"energy_column": k, "shift": […]}</c>).</summary>
    public const string LevelReferenceKey = "affectfuse.audio_level_reference";

    /// <summary>Metadata key holding the <see cref="TrainOptions"/> JSON, when given.</summary>
    public const string TrainOptionsKey = "affectfuse.train_options";

    /// <summary>Writes <paramref name="model"/>'s state dict (float32) and options atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, AffectFuseModel model, TrainOptions? trainOptions = null)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors export needs a little-endian machine");
        var compact = new JsonSerializerOptions(OptionsJson.Settings) { WriteIndented = false };
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [ModelOptionsKey] = JsonSerializer.Serialize(model.Options, compact),
        };
        AddInputLayouts(metadata, model, compact);
        if (trainOptions is not null)
            metadata[TrainOptionsKey] = JsonSerializer.Serialize(trainOptions with { Model = model.Options }, compact);

        var blobs = new List<(string Name, long[] Shape, byte[] Data)>();
        using (torch.no_grad())
        {
            foreach (var (name, tensor) in model.state_dict())
            {
                using var scope = torch.NewDisposeScope();
                var t = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
                blobs.Add((name, t.shape, t.bytes.ToArray()));
            }
        }

        using var headerBuffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(headerBuffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            foreach (var (key, value) in metadata)
                json.WriteString(key, value);
            json.WriteEndObject();
            long offset = 0;
            foreach (var (name, shape, data) in blobs)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (var d in shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + data.LongLength);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += data.LongLength;
            }
            json.WriteEndObject();
        }
        // Pad the header with spaces so the data starts 8-byte aligned (as the reference implementation does).
        int padding = (int)((8 - headerBuffer.Length % 8) % 8);
        headerBuffer.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));

        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBuffer.Length);
            stream.Write(length);
            headerBuffer.Position = 0;
            headerBuffer.CopyTo(stream);
            foreach (var (_, _, data) in blobs)
                stream.Write(data);
        });
    }

    // What a reader needs besides the weights to rebuild the input transforms: which feature columns they read. The
    // column layout is the feature sets' business (tested there); the reference checks the arithmetic on top of it.
    private static void AddInputLayouts(Dictionary<string, string> metadata, AffectFuseModel model, JsonSerializerOptions json)
    {
        if (model.Prior is not null)
            metadata[FacePriorKey] = JsonSerializer.Serialize(FacePrior.NetsIn(model.Options.VisualFeatures)
                .Select(n => new { columns = n.Index, classes = n.Map.Classes }), json);
        if (model.HasLevelReference)
        {
            var (energy, shift) = WindowLevelReference.Layout(model.Options.AudioFeatures);
            metadata[LevelReferenceKey] = JsonSerializer.Serialize(new { energy_column = energy, shift }, json);
        }
    }
}
