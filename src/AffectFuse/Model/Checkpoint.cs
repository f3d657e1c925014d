using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AffectFuse.IO;
using AffectFuse.Training;

namespace AffectFuse.Model;

/// <summary>Training state stored with a checkpoint.</summary>
public sealed record CheckpointState(int Epoch, double ValidationMacroF1, long Step);

/// <summary>A loaded checkpoint: the model (in eval mode), the options it was trained with, and its state.</summary>
public sealed record LoadedCheckpoint(AffectFuseModel Model, TrainOptions Options, CheckpointState State);

/// <summary>Single-file checkpoints (weights + options + state) with integrity checks; options are also written beside as JSON.</summary>
/// <remarks>
/// Layout (little-endian): magic "AFCKPT01" · u32 format version · i32 JSON length · JSON {options, state} ·
/// i64 weights length · TorchSharp module weights · trailer: i64 length of everything before the trailer ·
/// SHA-256 of it · end magic "AFCKEND1". The trailer is verified before any byte reaches the native loader, so a truncated,
/// corrupted or foreign file is an <see cref="AffectFuseException"/>, never a native crash.
/// </remarks>
public static class Checkpoint
{
    /// <summary>Current format version; a file with a newer one is refused.</summary>
    public const uint FormatVersion = 1;

    private static readonly byte[] Magic = "AFCKPT01"u8.ToArray();
    private static readonly byte[] EndMagic = "AFCKEND1"u8.ToArray();
    private const int TrailerLength = 8 + 32 + 8;

    private sealed record Header(TrainOptions Options, CheckpointState State);

    /// <summary>Writes atomically to <paramref name="path"/> and <c>path + ".options.json"</c>.</summary>
    public static void Save(string path, AffectFuseModel model, TrainOptions options, CheckpointState state)
    {
        // The model's own architecture is authoritative: it is what the weights fit.
        var header = new Header(options with { Model = model.Options }, state);
        string json = JsonSerializer.Serialize(header, OptionsJson.Settings);
        byte[] jsonBytes = Encoding.UTF8.GetBytes(json);

        byte[] weights;
        using (var buffer = new MemoryStream())
        {
            model.save(buffer);          // closes the stream; ToArray still works afterwards
            weights = buffer.ToArray();
        }

        using var payload = new MemoryStream();
        payload.Write(Magic);
        WriteUInt32(payload, FormatVersion);
        WriteInt32(payload, jsonBytes.Length);
        payload.Write(jsonBytes);
        WriteInt64(payload, weights.LongLength);
        payload.Write(weights);

        long payloadLength = payload.Length;
        byte[] hash = SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payloadLength));
        WriteInt64(payload, payloadLength);
        payload.Write(hash);
        payload.Write(EndMagic);

        AtomicFile.WriteAllBytes(path, payload.GetBuffer().AsSpan(0, (int)payload.Length));
        // The side file is a plain TrainOptions, so `train --config` can reproduce the run from it.
        AtomicFile.WriteAllText(path + ".options.json", JsonSerializer.Serialize(header.Options, OptionsJson.Settings) + "\n");
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
        var (header, weights) = Parse(path, bytes);

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
        return new LoadedCheckpoint(model, header.Options, header.State);
    }

    private static (Header Header, ReadOnlyMemory<byte> Weights) Parse(string path, byte[] bytes)
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
        if (weightsLength != trailer - offset)
            throw new AffectFuseException(path, $"checkpoint weights length {weightsLength} does not match the file ({trailer - offset} bytes)");
        return (header, bytes.AsMemory(offset, (int)weightsLength));
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
