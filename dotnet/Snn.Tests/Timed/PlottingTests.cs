using System.Buffers.Binary;
using System.IO.Compression;
using Snn.Plotting;
using Snn.Timed;

namespace Snn.Tests.Timed;

/// <summary>PNG encoding checked by a decoder written here, and plots checked pixel by pixel.</summary>
public class PlottingTests
{
    /// <summary>Decodes an 8-bit RGBA, filter-0 PNG and checks every CRC (the reader is independent of the writer:
    /// it uses the CRC check value of the standard, not Png.Crc32, to trust its own CRC).</summary>
    internal static (int Width, int Height, byte[] Rgba) Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int pos = 8, width = 0, height = 0;
        using var idat = new MemoryStream();
        while (pos < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var body = png.AsSpan(pos + 8, length);
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length)), Crc(png.AsSpan(pos + 4, 4 + length)));
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                Assert.Equal(new byte[] { 8, 6, 0, 0, 0 }, body[8..].ToArray());
            }
            else if (type == "IDAT") idat.Write(body);
            else if (type == "IEND") break;
            pos += 12 + length;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        var data = raw.ToArray();
        Assert.Equal(height * (width * 4 + 1), data.Length);
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, data[y * (width * 4 + 1)]);
            Array.Copy(data, y * (width * 4 + 1) + 1, rgba, y * width * 4, width * 4);
        }
        return (width, height, rgba);
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Png.Crc32("123456789"u8));
        Assert.Equal(0xCBF43926u, Crc("123456789"u8));
    }

    [Fact]
    public void CanvasPixelsSurviveEncoding()
    {
        var canvas = new Canvas(17, 9);
        canvas.SetPixel(3, 4, new Color(1, 2, 3, 4));
        canvas.DrawLine(0, 0, 16, 8, Color.Black);
        canvas.FillRect(10, 1, 3, 2, new Color(200, 100, 50));
        var (w, h, rgba) = Decode(canvas.ToPng());
        Assert.Equal((17, 9), (w, h));
        Assert.Equal(canvas.Pixels, rgba);
        Assert.Equal(new Color(1, 2, 3, 4), canvas.GetPixel(3, 4));
        Assert.Equal(Color.Black, canvas.GetPixel(0, 0));
        Assert.Equal(Color.Black, canvas.GetPixel(16, 8));
        Assert.Equal(Color.Black, canvas.GetPixel(8, 4));
        Assert.Equal(new Color(200, 100, 50), canvas.GetPixel(12, 2));
        Assert.Equal(Color.White, canvas.GetPixel(12, 3));
    }

    [Fact]
    public void EventPlotPutsMarkersAtTheirDataCoordinates()
    {
        var path = Path.Combine(Path.GetTempPath(), $"snn-events-{Guid.NewGuid():N}.png");
        try
        {
            var ev = new TSEvent(new[] { 0.2, 0.6 }, new[] { 1, 0 }, tStart: 0, tStop: 1, numChannels: 3);
            var chart = ev.Plot(path, 300, 200);
            var (w, _, rgba) = Decode(File.ReadAllBytes(path));
            foreach (var (t, c) in new[] { (0.2, 1), (0.6, 0) })
            {
                var x = (int)Math.Round(chart.PlotLeft + t * (chart.PlotRight - chart.PlotLeft));
                var y = (int)Math.Round(chart.PlotBottom - (c + 1) / 4.0 * (chart.PlotBottom - chart.PlotTop));
                var i = (y * w + x) * 4;
                var expected = Color.Palette[c];
                Assert.Equal((expected.R, expected.G, expected.B), (rgba[i], rgba[i + 1], rgba[i + 2]));
            }
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void TicksAreRoundNumbersCoveringTheRange()
    {
        Assert.Equal(new[] { 0.0, 0.2, 0.4, 0.6, 0.8, 1.0 }, Chart.Ticks(0, 1).Select(t => Math.Round(t, 12)));
        Assert.Equal(new[] { -10.0, -5, 0, 5, 10 }, Chart.Ticks(-12, 13));
    }
}
