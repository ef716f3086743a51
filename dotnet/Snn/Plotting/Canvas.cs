namespace Snn.Plotting;

/// <summary>An RGBA colour (8 bits per channel).</summary>
/// <param name="R">Red.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
/// <param name="A">Alpha (255 opaque).</param>
public readonly record struct Color(byte R, byte G, byte B, byte A = 255)
{
    /// <summary>Opaque white.</summary>
    public static Color White => new(255, 255, 255);

    /// <summary>Opaque black.</summary>
    public static Color Black => new(0, 0, 0);

    /// <summary>Light grey, for grid lines.</summary>
    public static Color LightGray => new(225, 225, 225);

    /// <summary>The ten colours series are drawn in, one per channel in turn (matplotlib's "tab10" hues).</summary>
    public static IReadOnlyList<Color> Palette { get; } =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];
}

/// <summary>
/// A width x height RGBA image in memory (row-major, top row first) with the few drawing operations plots need:
/// pixels, rectangles, lines, markers and text in a built-in 5 x 7 bitmap font. Drawing outside the image is
/// clipped, never an error.
/// </summary>
public sealed class Canvas
{
    private readonly byte[] _rgba;

    /// <summary>Creates a canvas filled with <paramref name="background"/> (white when null).</summary>
    public Canvas(int width, int height, Color? background = null)
    {
        if (width <= 0 || height <= 0 || (long)width * height > 100_000_000)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"a canvas needs 1 <= width, height and at most 1e8 pixels, got {width} x {height}.");
        Width = width;
        Height = height;
        _rgba = new byte[width * height * 4];
        Clear(background ?? Color.White);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, 4 bytes (R, G, B, A) per pixel, row by row from the top.</summary>
    public byte[] Pixels => _rgba;

    /// <summary>Fills the whole canvas with <paramref name="color"/>.</summary>
    public void Clear(Color color) => FillRect(0, 0, Width, Height, color);

    /// <summary>The colour at (<paramref name="x"/>, <paramref name="y"/>), y down from the top.</summary>
    public Color GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"pixel ({x}, {y}) is outside the {Width} x {Height} canvas.");
        var i = (y * Width + x) * 4;
        return new Color(_rgba[i], _rgba[i + 1], _rgba[i + 2], _rgba[i + 3]);
    }

    /// <summary>Sets one pixel (ignored outside the canvas).</summary>
    public void SetPixel(int x, int y, Color color)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        var i = (y * Width + x) * 4;
        _rgba[i] = color.R;
        _rgba[i + 1] = color.G;
        _rgba[i + 2] = color.B;
        _rgba[i + 3] = color.A;
    }

    /// <summary>Fills the rectangle [x, x + w) x [y, y + h), clipped to the canvas.</summary>
    public void FillRect(int x, int y, int w, int h, Color color)
    {
        int x0 = Math.Max(x, 0), y0 = Math.Max(y, 0);
        int x1 = (int)Math.Min((long)x + w, Width), y1 = (int)Math.Min((long)y + h, Height);
        if (x0 >= x1 || y0 >= y1) return;
        Span<byte> pixel = [color.R, color.G, color.B, color.A];
        for (var row = y0; row < y1; row++)
        {
            var line = _rgba.AsSpan((row * Width + x0) * 4, (x1 - x0) * 4);
            for (var i = 0; i < line.Length; i += 4) pixel.CopyTo(line[i..]);
        }
    }

    /// <summary>A one-pixel line from (x0, y0) to (x1, y1) inclusive (Bresenham), clipped to the canvas.</summary>
    public void DrawLine(int x0, int y0, int x1, int y1, Color color)
    {
        if (x0 == x1) { FillRect(x0, Math.Min(y0, y1), 1, Math.Abs(y1 - y0) + 1, color); return; }
        if (y0 == y1) { FillRect(Math.Min(x0, x1), y0, Math.Abs(x1 - x0) + 1, 1, color); return; }
        // Clip against a margin around the canvas first so far-away endpoints cost nothing.
        if (!ClipLine(ref x0, ref y0, ref x1, ref y1)) return;
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        var err = dx + dy;
        while (true)
        {
            SetPixel(x0, y0, color);
            if (x0 == x1 && y0 == y1) break;
            var e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    /// <summary>A filled square marker of side 2 <paramref name="radius"/> + 1 centred on (x, y).</summary>
    public void DrawMarker(int x, int y, int radius, Color color) =>
        FillRect(x - radius, y - radius, 2 * radius + 1, 2 * radius + 1, color);

    /// <summary>Draws <paramref name="text"/> with its top-left corner at (x, y), each glyph 5 x 7 pixels times
    /// <paramref name="scale"/> plus one column of spacing. Characters the font lacks are drawn as '?'.</summary>
    public void DrawText(int x, int y, string text, Color color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var ch in text)
        {
            var columns = BitmapFont.Glyph(ch);
            for (var c = 0; c < 5; c++)
            {
                for (var r = 0; r < 7; r++)
                {
                    if ((columns[c] >> r & 1) != 0) FillRect(x + c * scale, y + r * scale, scale, scale, color);
                }
            }
            x += 6 * scale;
        }
    }

    /// <summary>Width in pixels of <paramref name="text"/> drawn by <see cref="DrawText"/>.</summary>
    public static int TextWidth(string text, int scale = 1) => text is null || text.Length == 0 ? 0 : (6 * text.Length - 1) * scale;

    /// <summary>The canvas as PNG bytes.</summary>
    public byte[] ToPng() => Png.Encode(_rgba, Width, Height);

    /// <summary>Writes the canvas as a PNG file (created or replaced).</summary>
    public void SavePng(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllBytes(path, ToPng());
    }

    private bool ClipLine(ref int x0, ref int y0, ref int x1, ref int y1)
    {
        // Liang-Barsky against [-1, W] x [-1, H] in double, then round back.
        double ax = x0, ay = y0, dx = x1 - x0, dy = y1 - y0, t0 = 0, t1 = 1;
        double[] p = [-dx, dx, -dy, dy];
        double[] q = [ax + 1, Width - ax, ay + 1, Height - ay];
        for (var i = 0; i < 4; i++)
        {
            if (p[i] == 0) { if (q[i] < 0) return false; continue; }
            var r = q[i] / p[i];
            if (p[i] < 0) { if (r > t1) return false; if (r > t0) t0 = r; }
            else { if (r < t0) return false; if (r < t1) t1 = r; }
        }
        x1 = (int)Math.Round(ax + t1 * dx); y1 = (int)Math.Round(ay + t1 * dy);
        x0 = (int)Math.Round(ax + t0 * dx); y0 = (int)Math.Round(ay + t0 * dy);
        return true;
    }
}

/// <summary>The built-in 5 x 7 font: digits, upper-case letters (lower case is drawn upper case) and common
/// punctuation, each glyph five columns with bit 0 the top row.</summary>
internal static class BitmapFont
{
    private static readonly byte[] Unknown = [0x02, 0x01, 0x51, 0x09, 0x06];
    private static readonly Dictionary<char, byte[]> Glyphs = new()
    {
        [' '] = [0, 0, 0, 0, 0], ['0'] = [0x3E, 0x51, 0x49, 0x45, 0x3E], ['1'] = [0x00, 0x42, 0x7F, 0x40, 0x00],
        ['2'] = [0x42, 0x61, 0x51, 0x49, 0x46], ['3'] = [0x21, 0x41, 0x45, 0x4B, 0x31], ['4'] = [0x18, 0x14, 0x12, 0x7F, 0x10],
        ['5'] = [0x27, 0x45, 0x45, 0x45, 0x39], ['6'] = [0x3C, 0x4A, 0x49, 0x49, 0x30], ['7'] = [0x01, 0x71, 0x09, 0x05, 0x03],
        ['8'] = [0x36, 0x49, 0x49, 0x49, 0x36], ['9'] = [0x06, 0x49, 0x49, 0x29, 0x1E],
        ['A'] = [0x7E, 0x11, 0x11, 0x11, 0x7E], ['B'] = [0x7F, 0x49, 0x49, 0x49, 0x36], ['C'] = [0x3E, 0x41, 0x41, 0x41, 0x22],
        ['D'] = [0x7F, 0x41, 0x41, 0x22, 0x1C], ['E'] = [0x7F, 0x49, 0x49, 0x49, 0x41], ['F'] = [0x7F, 0x09, 0x09, 0x01, 0x01],
        ['G'] = [0x3E, 0x41, 0x41, 0x51, 0x32], ['H'] = [0x7F, 0x08, 0x08, 0x08, 0x7F], ['I'] = [0x00, 0x41, 0x7F, 0x41, 0x00],
        ['J'] = [0x20, 0x40, 0x41, 0x3F, 0x01], ['K'] = [0x7F, 0x08, 0x14, 0x22, 0x41], ['L'] = [0x7F, 0x40, 0x40, 0x40, 0x40],
        ['M'] = [0x7F, 0x02, 0x04, 0x02, 0x7F], ['N'] = [0x7F, 0x04, 0x08, 0x10, 0x7F], ['O'] = [0x3E, 0x41, 0x41, 0x41, 0x3E],
        ['P'] = [0x7F, 0x09, 0x09, 0x09, 0x06], ['Q'] = [0x3E, 0x41, 0x51, 0x21, 0x5E], ['R'] = [0x7F, 0x09, 0x19, 0x29, 0x46],
        ['S'] = [0x46, 0x49, 0x49, 0x49, 0x31], ['T'] = [0x01, 0x01, 0x7F, 0x01, 0x01], ['U'] = [0x3F, 0x40, 0x40, 0x40, 0x3F],
        ['V'] = [0x1F, 0x20, 0x40, 0x20, 0x1F], ['W'] = [0x7F, 0x20, 0x18, 0x20, 0x7F], ['X'] = [0x63, 0x14, 0x08, 0x14, 0x63],
        ['Y'] = [0x03, 0x04, 0x78, 0x04, 0x03], ['Z'] = [0x61, 0x51, 0x49, 0x45, 0x43],
        ['-'] = [0x08, 0x08, 0x08, 0x08, 0x08], ['+'] = [0x08, 0x08, 0x3E, 0x08, 0x08],
        ['.'] = [0x00, 0x60, 0x60, 0x00, 0x00], [','] = [0x00, 0x50, 0x30, 0x00, 0x00], [':'] = [0x00, 0x36, 0x36, 0x00, 0x00],
        ['('] = [0x00, 0x1C, 0x22, 0x41, 0x00], [')'] = [0x00, 0x41, 0x22, 0x1C, 0x00], ['/'] = [0x20, 0x10, 0x08, 0x04, 0x02],
        ['_'] = [0x40, 0x40, 0x40, 0x40, 0x40], ['='] = [0x14, 0x14, 0x14, 0x14, 0x14], ['%'] = [0x23, 0x13, 0x08, 0x64, 0x62],
        ['\''] = [0x00, 0x05, 0x03, 0x00, 0x00], ['['] = [0x00, 0x7F, 0x41, 0x41, 0x00], [']'] = [0x00, 0x41, 0x41, 0x7F, 0x00],
        ['`'] = [0x00, 0x01, 0x02, 0x04, 0x00], ['*'] = [0x14, 0x08, 0x3E, 0x08, 0x14], ['<'] = [0x08, 0x14, 0x22, 0x41, 0x00],
        ['>'] = [0x00, 0x41, 0x22, 0x14, 0x08], ['?'] = [0x02, 0x01, 0x51, 0x09, 0x06],
    };

    public static byte[] Glyph(char ch)
    {
        if (Glyphs.TryGetValue(ch, out var g)) return g;
        return Glyphs.TryGetValue(char.ToUpperInvariant(ch), out g) ? g : Unknown;
    }
}
