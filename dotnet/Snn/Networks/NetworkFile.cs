using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Snn.Networks;

/// <summary>A file that is not a saved snn network, is damaged, or does not fit the layers it describes.</summary>
public sealed class NetworkFileException(string message, Exception? innerException = null)
    : SnnException(ErrorCode.InvalidArgument, message, innerException);

/// <summary>
/// One file per network: the 8-byte magic "SNNNET\0\u0001", the little-endian uint64 length of a UTF-8 JSON header,
/// the header ({"format": "snn-network", "version": 1, "layer": the root layer's configuration, "tensors": [{"name",
/// "kind": "parameter" | "state", "dtype", "shape", "offset", "nbytes"}]}), then the raw little-endian tensor bytes,
/// each at its offset from the end of the header (64-byte aligned).
/// </summary>
internal static class NetworkFile
{
    private static readonly byte[] Magic = "SNNNET\0\u0001"u8.ToArray();
    private const int Version = 1;
    private const int Alignment = 64;

    public static void Save(Layer layer, string path)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var entries = new List<(string Name, string Kind, Tensor Tensor, long Offset)>();
        long offset = 0;
        foreach (var (kind, tensors) in new[] { ("parameter", layer.Parameters), ("state", layer.State) })
        {
            foreach (var (name, tensor) in tensors.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                entries.Add((name, kind, tensor, offset));
                offset = Align(offset + tensor.ByteCount);
            }
        }
        var header = new JsonObject
        {
            ["format"] = "snn-network",
            ["version"] = Version,
            ["layer"] = layer.Describe().ToJson(),
            ["tensors"] = new JsonArray(entries.Select(e => (JsonNode?)new JsonObject
            {
                ["name"] = e.Name,
                ["kind"] = e.Kind,
                ["dtype"] = e.Tensor.DType.ToString().ToLowerInvariant(),
                ["shape"] = new JsonArray(e.Tensor.Shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["offset"] = e.Offset,
                ["nbytes"] = e.Tensor.ByteCount,
            }).ToArray()),
        };
        var json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            stream.Write(Magic);
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
            stream.Write(length);
            stream.Write(json);
            var start = stream.Position;
            foreach (var entry in entries)
            {
                stream.Position = start + entry.Offset;
                stream.Write(Bytes(entry.Tensor));
            }
            stream.SetLength(start + offset);
        }
        File.Move(temporary, path, overwrite: true); // a crash never leaves half a file under the real name
    }

    public static Layer Load(string path, Device device)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException e)
        {
            throw new NetworkFileException($"no file at {path}; pass the path Layer.Save wrote.", e);
        }
        if (bytes.Length < 16 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new NetworkFileException($"{path} is not a saved snn network (it does not start with the snn network magic); save one with Layer.Save.");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8, 8));
        if (length > (ulong)(bytes.Length - 16))
            throw new NetworkFileException($"{path} is truncated: its header claims {length} bytes but the file has {bytes.Length - 16} after the magic.");
        var dataStart = 16 + (long)length;
        JsonObject header;
        try
        {
            header = JsonNode.Parse(bytes.AsSpan(16, (int)length)) as JsonObject ?? throw new JsonException("the header is not an object");
        }
        catch (JsonException e)
        {
            throw new NetworkFileException($"{path} has a damaged header ({e.Message}).", e);
        }
        if (header["format"]?.GetValue<string>() != "snn-network")
            throw new NetworkFileException($"{path} header lacks \"format\": \"snn-network\"; the file is not a saved snn network.");
        var version = header["version"]?.GetValue<int>() ?? -1;
        if (version != Version)
            throw new NetworkFileException($"{path} is format version {version} but this snn reads version {Version}; use the snn version that wrote it.");

        Layer layer;
        try
        {
            layer = LayerRegistry.Create(LayerConfig.FromJson(header["layer"] as JsonObject
                ?? throw new NetworkFileException($"{path} header has no \"layer\" object.")), device);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or ArgumentException and not SnnArgumentException)
        {
            throw new NetworkFileException($"{path} describes a layer that cannot be built: {e.Message}", e);
        }
        try
        {
            var parameters = layer.Parameters;
            var restored = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in header["tensors"]?.AsArray() ?? throw new NetworkFileException($"{path} header has no \"tensors\" list."))
            {
                var entry = node as JsonObject ?? throw new NetworkFileException($"{path} has a tensor entry that is not an object.");
                var name = layer.CurrentName(entry["name"]?.GetValue<string>() ?? throw new NetworkFileException($"{path} has a tensor entry without a name."));
                var kind = entry["kind"]?.GetValue<string>();
                var dtype = Enum.TryParse<DType>(entry["dtype"]?.GetValue<string>(), ignoreCase: true, out var d) ? d
                    : throw new NetworkFileException($"{path}: tensor {name} has an unknown dtype \"{entry["dtype"]}\".");
                var shape = entry["shape"]?.AsArray().Select(x => x!.GetValue<long>()).ToArray()
                    ?? throw new NetworkFileException($"{path}: tensor {name} has no shape.");
                var offset = entry["offset"]?.GetValue<long>() ?? -1;
                var nbytes = entry["nbytes"]?.GetValue<long>() ?? -1;
                if (shape.Any(x => x < 0) || nbytes != Tensor.ElementCountOf(shape) * DTypes.Size(dtype))
                    throw new NetworkFileException($"{path}: tensor {name} has {nbytes} bytes, which does not match {dtype} [{string.Join(", ", shape)}].");
                if (offset < 0 || offset > bytes.Length - dataStart - nbytes)
                    throw new NetworkFileException($"{path}: tensor {name} lies outside the file (offset {offset}, {nbytes} bytes); the file is truncated or damaged.");
                var data = bytes.AsSpan((int)(dataStart + offset), (int)nbytes);
                if (kind == "parameter")
                {
                    if (!parameters.TryGetValue(name, out var target))
                        throw new NetworkFileException($"{path}: the layers have no parameter {name} (they have {string.Join(", ", parameters.Keys)}).");
                    if (target.DType != dtype || !target.Shape.SequenceEqual(shape))
                        throw new NetworkFileException($"{path}: parameter {name} is {dtype} [{string.Join(", ", shape)}] in the file but {target.DType} [{string.Join(", ", target.Shape)}] in the rebuilt layer.");
                    Upload(target, data);
                    restored.Add(name);
                }
                else if (kind == "state")
                {
                    using var value = Tensor.Zeros(shape, dtype, device);
                    Upload(value, data);
                    layer.SetState(name, value);
                }
                else
                {
                    throw new NetworkFileException($"{path}: tensor {name} has kind \"{kind}\"; expected \"parameter\" or \"state\".");
                }
            }
            var missing = parameters.Keys.Where(k => !restored.Contains(k)).ToArray();
            if (missing.Length > 0)
                throw new NetworkFileException($"{path} lacks the parameters {string.Join(", ", missing)} of the layers it describes; the file is damaged.");
            return layer;
        }
        catch
        {
            layer.Dispose();
            throw;
        }
    }

    private static long Align(long offset) => (offset + Alignment - 1) / Alignment * Alignment;

    private static ReadOnlySpan<byte> Bytes(Tensor tensor)
    {
        var array = tensor.ToArray();
        return MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(array), checked((int)tensor.ByteCount));
    }

    private static void Upload(Tensor target, ReadOnlySpan<byte> data)
    {
        switch (target.DType)
        {
            case DType.Float32: target.CopyFrom(MemoryMarshal.Cast<byte, float>(data)); break;
            case DType.Float64: target.CopyFrom(MemoryMarshal.Cast<byte, double>(data)); break;
            case DType.Int32: target.CopyFrom(MemoryMarshal.Cast<byte, int>(data)); break;
            case DType.Int64: target.CopyFrom(MemoryMarshal.Cast<byte, long>(data)); break;
            case DType.UInt8: target.CopyFrom(data); break;
            case DType.UInt32: target.CopyFrom(MemoryMarshal.Cast<byte, uint>(data)); break;
            default: throw new NetworkFileException($"tensor dtype {target.DType} cannot be loaded.");
        }
    }
}
