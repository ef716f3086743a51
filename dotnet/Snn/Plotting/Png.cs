using System.Buffers.Binary;
using System.IO.Compression;

namespace Snn.Plotting;

/// <summary>
/// Writes 8-bit RGBA images as PNG files (IHDR, one zlib-compressed IDAT, IEND; every scanline with filter 0),
/// with nothing but System.IO.Compression.
/// </summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes <paramref name="rgba"/> (row-major, 4 bytes per pixel, top row first) as PNG bytes.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> rgba, int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"a PNG needs width and height >= 1, got {width} x {height}.");
        if (rgba.Length != (long)width * height * 4)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{width} x {height} RGBA pixels need {(long)width * height * 4} bytes, got {rgba.Length}.");
        using var file = new MemoryStream();
        file.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;   // bit depth
        header[9] = 6;   // colour type: RGBA
        header[10] = 0;  // deflate
        header[11] = 0;  // adaptive filtering (we use filter 0 on every line)
        header[12] = 0;  // no interlace
        WriteChunk(file, "IHDR"u8, header);

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                var stride = width * 4;
                for (var y = 0; y < height; y++)
                {
                    zlib.WriteByte(0);
                    zlib.Write(rgba.Slice(y * stride, stride));
                }
            }
            WriteChunk(file, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }
        WriteChunk(file, "IEND"u8, []);
        return file.ToArray();
    }

    /// <summary>The CRC-32 (ISO-HDLC, as PNG uses) of <paramref name="data"/>.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFFu, data);

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        var crc = ~Update(Update(0xFFFFFFFFu, type), data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
