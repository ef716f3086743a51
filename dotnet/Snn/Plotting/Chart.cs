using System.Globalization;

namespace Snn.Plotting;

/// <summary>
/// A 2-D plot on a <see cref="Canvas"/>: a white plot area with a black frame, "nice" ticks (1, 2 or 5 times a
/// power of ten) labelled in the built-in font, light grid lines, a title and axis labels, and data drawn in data
/// coordinates. <see cref="PixelX"/>/<see cref="PixelY"/> give where a data point lands.
/// </summary>
public sealed class Chart
{
    private const int Margin = 10, TickLength = 4;

    /// <summary>Creates an empty chart showing x in [<paramref name="xMin"/>, <paramref name="xMax"/>] and y in
    /// [<paramref name="yMin"/>, <paramref name="yMax"/>] (an empty range is widened by 0.5 on each side).</summary>
    public Chart(int width, int height, double xMin, double xMax, double yMin, double yMax,
        string? title = null, string? xLabel = null, string? yLabel = null)
    {
        if (width < 80 || height < 60)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"a chart needs at least 80 x 60 pixels, got {width} x {height}.");
        foreach (var v in new[] { xMin, xMax, yMin, yMax })
        {
            if (!double.IsFinite(v))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"chart limits must be finite, got x [{xMin}, {xMax}], y [{yMin}, {yMax}]; remove NaN or infinite values first.");
        }
        (XMin, XMax) = Widen(xMin, xMax);
        (YMin, YMax) = Widen(yMin, yMax);
        Canvas = new Canvas(width, height);
        var xTicks = Ticks(XMin, XMax);
        var yTicks = Ticks(YMin, YMax);
        var yLabelWidth = yTicks.Max(t => Canvas.TextWidth(Format(t)));
        PlotLeft = Margin + (string.IsNullOrEmpty(yLabel) ? 0 : 10) + yLabelWidth + TickLength + 3;
        PlotRight = width - Margin - 1 - Canvas.TextWidth(Format(xTicks[^1])) / 2;
        PlotTop = Margin + (string.IsNullOrEmpty(title) ? 0 : 12);
        PlotBottom = height - Margin - 1 - 7 - TickLength - 3 - (string.IsNullOrEmpty(xLabel) ? 0 : 11);
        if (PlotRight - PlotLeft < 20 || PlotBottom - PlotTop < 20)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{width} x {height} pixels leave no room for the plot area; make the chart larger.");
        DrawAxes(xTicks, yTicks, title, xLabel, yLabel);
    }

    /// <summary>The image being drawn.</summary>
    public Canvas Canvas { get; }

    /// <summary>Data x at the left edge of the plot area.</summary>
    public double XMin { get; }

    /// <summary>Data x at the right edge of the plot area.</summary>
    public double XMax { get; }

    /// <summary>Data y at the bottom edge of the plot area.</summary>
    public double YMin { get; }

    /// <summary>Data y at the top edge of the plot area.</summary>
    public double YMax { get; }

    /// <summary>Pixel column of <see cref="XMin"/> (the frame's left line).</summary>
    public int PlotLeft { get; }

    /// <summary>Pixel column of <see cref="XMax"/> (the frame's right line).</summary>
    public int PlotRight { get; }

    /// <summary>Pixel row of <see cref="YMax"/> (the frame's top line).</summary>
    public int PlotTop { get; }

    /// <summary>Pixel row of <see cref="YMin"/> (the frame's bottom line).</summary>
    public int PlotBottom { get; }

    /// <summary>The pixel column of data x: PlotLeft + (x - XMin) / (XMax - XMin) (PlotRight - PlotLeft), rounded.</summary>
    public int PixelX(double x) => (int)Math.Round(PlotLeft + (x - XMin) / (XMax - XMin) * (PlotRight - PlotLeft));

    /// <summary>The pixel row of data y: PlotBottom - (y - YMin) / (YMax - YMin) (PlotBottom - PlotTop), rounded.</summary>
    public int PixelY(double y) => (int)Math.Round(PlotBottom - (y - YMin) / (YMax - YMin) * (PlotBottom - PlotTop));

    /// <summary>Draws the polyline through (xs[i], ys[i]); NaN points break the line. With <paramref name="steps"/>,
    /// each value is held until the next x (sample-and-hold) and the last one until <paramref name="holdUntil"/>.</summary>
    public void Line(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, Color color, bool steps = false, double? holdUntil = null)
    {
        if (xs.Length != ys.Length)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"a line needs as many x ({xs.Length}) as y ({ys.Length}).");
        int px = 0, py = 0;
        var open = false;
        for (var i = 0; i < xs.Length; i++)
        {
            if (double.IsNaN(ys[i]) || double.IsNaN(xs[i])) { open = false; continue; }
            int x = Clamp(PixelX(xs[i])), y = Clamp(PixelY(ys[i]));
            if (open)
            {
                if (steps)
                {
                    Segment(px, py, x, py, color);
                    Segment(x, py, x, y, color);
                }
                else Segment(px, py, x, y, color);
            }
            else Canvas.SetPixel(x, y, color);
            (px, py, open) = (x, y, true);
        }
        if (steps && open && holdUntil is { } end && double.IsFinite(end)) Segment(px, py, Clamp(PixelX(end)), py, color);
    }

    /// <summary>Draws a square marker of the given radius at each (xs[i], ys[i]) inside the plot area.</summary>
    public void Markers(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, Color color, int radius = 1)
    {
        if (xs.Length != ys.Length)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"markers need as many x ({xs.Length}) as y ({ys.Length}).");
        for (var i = 0; i < xs.Length; i++) Marker(xs[i], ys[i], color, radius);
    }

    /// <summary>Draws one marker at data (x, y) if it lies inside the plot area.</summary>
    public void Marker(double x, double y, Color color, int radius = 1)
    {
        if (!(x >= XMin && x <= XMax && y >= YMin && y <= YMax)) return;
        Canvas.DrawMarker(PixelX(x), PixelY(y), radius, color);
    }

    /// <summary>Writes the chart as a PNG file.</summary>
    public void Save(string path) => Canvas.SavePng(path);

    /// <summary>The tick positions used for [lo, hi]: multiples of a 1, 2 or 5 times 10^k step, 3 to 10 of them.</summary>
    public static double[] Ticks(double lo, double hi)
    {
        var raw = (hi - lo) / 5;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * power).First(s => s >= raw * 0.999);
        var first = Math.Ceiling(lo / step - 1e-9);
        var ticks = new List<double>();
        for (var k = first; k * step <= hi + step * 1e-9; k++) ticks.Add(Math.Abs(k * step) < step * 1e-9 ? 0 : k * step);
        return [.. ticks];
    }

    private static string Format(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static (double, double) Widen(double lo, double hi)
    {
        if (lo > hi) (lo, hi) = (hi, lo);
        return hi - lo > 1e-300 * Math.Max(1, Math.Abs(lo)) ? (lo, hi) : (lo - 0.5, hi + 0.5);
    }

    private int Clamp(int v) => Math.Clamp(v, -100_000, 100_000);

    private void Segment(int x0, int y0, int x1, int y1, Color color)
    {
        // Clip to the plot area so data never draws over labels.
        if (Math.Max(x0, x1) < PlotLeft || Math.Min(x0, x1) > PlotRight || Math.Max(y0, y1) < PlotTop || Math.Min(y0, y1) > PlotBottom)
            return;
        if (x0 == x1) { y0 = Math.Clamp(y0, PlotTop, PlotBottom); y1 = Math.Clamp(y1, PlotTop, PlotBottom); }
        if (y0 == y1) { x0 = Math.Clamp(x0, PlotLeft, PlotRight); x1 = Math.Clamp(x1, PlotLeft, PlotRight); }
        Canvas.DrawLine(x0, y0, x1, y1, color);
    }

    private void DrawAxes(double[] xTicks, double[] yTicks, string? title, string? xLabel, string? yLabel)
    {
        var black = Color.Black;
        foreach (var t in xTicks)
        {
            var x = PixelX(t);
            Canvas.DrawLine(x, PlotTop + 1, x, PlotBottom - 1, Color.LightGray);
            Canvas.DrawLine(x, PlotBottom, x, PlotBottom + TickLength, black);
            var label = Format(t);
            Canvas.DrawText(x - Canvas.TextWidth(label) / 2, PlotBottom + TickLength + 3, label, black);
        }
        foreach (var t in yTicks)
        {
            var y = PixelY(t);
            Canvas.DrawLine(PlotLeft + 1, y, PlotRight - 1, y, Color.LightGray);
            Canvas.DrawLine(PlotLeft - TickLength, y, PlotLeft, y, black);
            var label = Format(t);
            Canvas.DrawText(PlotLeft - TickLength - 3 - Canvas.TextWidth(label), y - 3, label, black);
        }
        Canvas.DrawLine(PlotLeft, PlotTop, PlotRight, PlotTop, black);
        Canvas.DrawLine(PlotLeft, PlotBottom, PlotRight, PlotBottom, black);
        Canvas.DrawLine(PlotLeft, PlotTop, PlotLeft, PlotBottom, black);
        Canvas.DrawLine(PlotRight, PlotTop, PlotRight, PlotBottom, black);
        if (!string.IsNullOrEmpty(title))
            Canvas.DrawText((PlotLeft + PlotRight - Canvas.TextWidth(title)) / 2, Margin, title, black);
        if (!string.IsNullOrEmpty(xLabel))
            Canvas.DrawText((PlotLeft + PlotRight - Canvas.TextWidth(xLabel)) / 2, Canvas.Height - Margin - 7, xLabel, black);
        if (!string.IsNullOrEmpty(yLabel))
        {
            // Vertical text: one character per line, centred on the plot area.
            var top = (PlotTop + PlotBottom) / 2 - yLabel.Length * 4;
            for (var i = 0; i < yLabel.Length; i++) Canvas.DrawText(Margin, top + 8 * i, yLabel[i].ToString(), black);
        }
    }
}
