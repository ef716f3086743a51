using System.Buffers.Binary;
using System.IO.Compression;

namespace Snn.Datasets;

/// <summary>Reads IDX files (the MNIST family's format), plain or gzip-compressed.</summary>
public static class IdxFile
{
    /// <summary>Reads an unsigned-byte IDX file; returns its extents and its bytes in row-major order.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed unsigned-byte IDX file.</exception>
    public static (int[] Shape, byte[] Data) ReadBytes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file {path} does not exist.", path);
        using var file = File.OpenRead(path);
        using var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(stream, magic, path, "header");
        if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08)
            throw new InvalidDataException($"{path} is not an unsigned-byte IDX file (magic {Convert.ToHexString(magic)}, expected 000008xx).");
        int rank = magic[3];
        if (rank is < 1 or > 4) throw new InvalidDataException($"{path} declares {rank} dimensions; IDX files here have 1 to 4.");
        var shape = new int[rank];
        Span<byte> extent = stackalloc byte[4];
        long count = 1;
        for (var d = 0; d < rank; d++)
        {
            ReadExactly(stream, extent, path, "dimensions");
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(extent);
            if (shape[d] < 0) throw new InvalidDataException($"{path} has a negative extent {shape[d]}.");
            count = checked(count * shape[d]);
        }
        if (count > Array.MaxLength) throw new InvalidDataException($"{path} declares {count} elements, more than one array can hold.");
        var data = new byte[count];
        ReadExactly(stream, data, path, "data");
        return (shape, data);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string part)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} ends inside its {part}: the file is truncated.");
        }
    }
}
