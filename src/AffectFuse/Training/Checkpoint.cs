using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AffectFuse.IO;
using AffectFuse.Training;
using AffectFuse.Model;

namespace AffectFuse.Training;

/// <summary>Training state stored with a checkpoint.</summary>
internal sealed record CheckpointState(int Epoch, double ValidationMacroF1, long Step);

/// <summary>A loaded checkpoint: the model (in eval mode), the options it was trained with, and its state.</summary>
internal sealed record LoadedCheckpoint(AffectFuseModel Model, TrainOptions Options, CheckpointState State)
{
    /// <summary>The run's committed progress, in a resumable checkpoint (a run's <c>last.ckpt</c>); null in a plain one.</summary>
    public TrainingRunState? Run { get; init; }

    /// <summary>The optimiser's serialized state, in a resumable checkpoint; null in a plain one.</summary>
    public byte[]? OptimizerState { get; init; }
}

/// <summary>Single-file checkpoints (weights + options + state) with integrity checks; options are also written beside as JSON.</summary>
/// <remarks>
/// Layout (little-endian): magic "AFCKPT01" · u32 format version · i32 JSON length · JSON {options, state} ·
/// i64 weights length · TorchSharp module weights · trailer: i64 length of everything before the trailer ·
/// SHA-256 of it · end magic "AFCKEND1". The trailer is verified before any byte reaches the native loader, so a truncated,
/// corrupted or foreign file is an <see cref="AffectFuseException"/>, never a native crash.
/// Version 2, the resumable form a training run commits each epoch as, adds the run's progress to the JSON
/// ({options, state, run}) and, after the weights, i64 optimiser-state length · TorchSharp optimiser state. Plain
/// checkpoints are still written as version 1, so readers of that format keep working.
/// </remarks>
internal static class Checkpoint
{
    /// <summary>Current format version; a file with a newer one is refused.</summary>
    public const uint FormatVersion = 2;

    private const uint PlainVersion = 1;

    private static readonly byte[] Magic = "AFCKPT01"u8.ToArray();
    private static readonly byte[] EndMagic = "AFCKEND1"u8.ToArray();
    private const int TrailerLength = 8 + 32 + 8;

    private sealed record Header(TrainOptions Options, CheckpointState State,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TrainingRunState? Run = null);

    /// <summary>Writes atomically to <paramref name="path"/> and <c>path + ".options.json"</c>.</summary>
    public static void Save(string path, AffectFuseModel model, TrainOptions options, CheckpointState state)
    {
        WriteFile(path, model, options, state, run: null, optimizer: null);
        WriteOptions(path, model, options);
    }

    /// <summary>Writes the resumable form (version 2) to <paramref name="path"/> alone, atomically: one rename commits the
    /// weights, the optimiser state and the run's progress together. The options side file is left to the caller.</summary>
    internal static void SaveResumable(string path, AffectFuseModel model, TrainOptions options, CheckpointState state,
        TrainingRunState run, byte[] optimizer)
        => WriteFile(path, model, options, state, run, optimizer);

    /// <summary>Writes <c>checkpoint + ".options.json"</c>, a plain TrainOptions, so `train --config` can reproduce the run from it.</summary>
    internal static void WriteOptions(string checkpoint, AffectFuseModel model, TrainOptions options)
        => OptionsJson.WriteFile(checkpoint + ".options.json", options with { Model = model.Options });

    private static void WriteFile(string path, AffectFuseModel model, TrainOptions options, CheckpointState state,
        TrainingRunState? run, byte[]? optimizer)
    {
        // The model's own architecture is authoritative: it is what the weights fit.
        var header = new Header(options with { Model = model.Options }, state, run);
        byte[] jsonBytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header, OptionsJson.Settings));
        byte[] weights;
        using (var buffer = new MemoryStream())
        {
            model.save(buffer);          // closes the stream; ToArray still works afterwards
            weights = buffer.ToArray();
        }

        using var payload = new MemoryStream();
        payload.Write(Magic);
        WriteUInt32(payload, optimizer is null ? PlainVersion : FormatVersion);
        WriteInt32(payload, jsonBytes.Length);
        payload.Write(jsonBytes);
        WriteInt64(payload, weights.LongLength);
        payload.Write(weights);
        if (optimizer is not null)
        {
            WriteInt64(payload, optimizer.LongLength);
            payload.Write(optimizer);
        }

        long payloadLength = payload.Length;
        byte[] hash = SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payloadLength));
        WriteInt64(payload, payloadLength);
        payload.Write(hash);
        payload.Write(EndMagic);
        AtomicFile.WriteAllBytes(path, payload.GetBuffer().AsSpan(0, (int)payload.Length));
    }

    /// <summary>Loads; a truncated or foreign file is an <see cref="AffectFuseException"/>.</summary>
    public static LoadedCheckpoint Load(string path)
    {
        InputFile.RequireContent(path, "checkpoint");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AffectFuseException(path, $"cannot read checkpoint ({e.Message})", e);
        }
        var (header, weights, optimizer) = Parse(path, bytes);
        try
        {
            header.Options.Validate();
        }
        catch (AffectFuseException e)
        {
            // A hand-edited or foreign file: say which checkpoint holds the bad value, not only which option.
            throw new AffectFuseException(path, $"checkpoint holds invalid options: {e.Marked}", e);
        }

        AffectFuseModel model;
        try
        {
            model = new AffectFuseModel(header.Options.Model);
        }
        catch (ArgumentException e)
        {
            throw new AffectFuseException(path, $"checkpoint holds invalid model options: {e.Message}", e);
        }
        try
        {
            using var stream = new MemoryStream(weights.ToArray(), writable: false);
            model.load(stream, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException or FormatException)
        {
            model.Dispose();
            throw new AffectFuseException(path, $"checkpoint weights do not match its model options: {e.Message}", e);
        }
        model.eval();
        return new LoadedCheckpoint(model, header.Options, header.State) { Run = header.Run, OptimizerState = optimizer?.ToArray() };
    }

    private static (Header Header, ReadOnlyMemory<byte> Weights, ReadOnlyMemory<byte>? Optimizer) Parse(string path, byte[] bytes)
    {
        int minimum = Magic.Length + 4 + 4 + 8 + TrailerLength;
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new AffectFuseException(path, "not an AffectFuse checkpoint (wrong magic bytes)");
        if (bytes.Length < minimum || !bytes.AsSpan(bytes.Length - EndMagic.Length).SequenceEqual(EndMagic))
            throw new AffectFuseException(path, $"checkpoint is truncated or damaged (no valid trailer; {bytes.Length} bytes)");

        int trailer = bytes.Length - TrailerLength;
        long declared = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(trailer, 8));
        if (declared != trailer)
            throw new AffectFuseException(path, $"checkpoint length mismatch (trailer says {declared} bytes of data, file has {trailer})");
        var expectedHash = bytes.AsSpan(trailer + 8, 32);
        if (!SHA256.HashData(bytes.AsSpan(0, trailer)).AsSpan().SequenceEqual(expectedHash))
            throw new AffectFuseException(path, "checkpoint is corrupt (SHA-256 mismatch)");

        int offset = Magic.Length;
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset, 4));
        offset += 4;
        if (version == 0 || version > FormatVersion)
            throw new AffectFuseException(path, $"checkpoint format version {version} is not supported (this build reads up to {FormatVersion})");
        int jsonLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset, 4));
        offset += 4;
        if (jsonLength <= 0 || jsonLength > trailer - offset - 8)
            throw new AffectFuseException(path, $"checkpoint header length {jsonLength} is out of range");
        Header? header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(bytes.AsSpan(offset, jsonLength), OptionsJson.Settings);
        }
        catch (JsonException e)
        {
            throw new AffectFuseException(path, $"checkpoint options are not valid JSON ({e.Message})", e);
        }
        if (header?.Options?.Model is null || header.State is null)
            throw new AffectFuseException(path, "checkpoint options are incomplete");
        offset += jsonLength;
        long weightsLength = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset, 8));
        offset += 8;
        if (version == PlainVersion)
        {
            if (weightsLength != trailer - offset)
                throw new AffectFuseException(path, $"checkpoint weights length {weightsLength} does not match the file ({trailer - offset} bytes)");
            return (header, bytes.AsMemory(offset, (int)weightsLength), null);
        }
        if (weightsLength < 0 || weightsLength > trailer - offset - 8)
            throw new AffectFuseException(path, $"checkpoint weights length {weightsLength} does not fit the file ({trailer - offset} bytes)");
        int optimizerAt = offset + (int)weightsLength;
        long optimizerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(optimizerAt, 8));
        if (optimizerLength != trailer - optimizerAt - 8 || header.Run is null)
            throw new AffectFuseException(path, "resumable checkpoint has no complete optimiser state or run progress");
        return (header, bytes.AsMemory(offset, (int)weightsLength), bytes.AsMemory(optimizerAt + 8, (int)optimizerLength));
    }

    private static void WriteUInt32(Stream s, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        s.Write(b);
    }

    private static void WriteInt32(Stream s, int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        s.Write(b);
    }

    private static void WriteInt64(Stream s, long value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, value);
        s.Write(b);
    }
}
