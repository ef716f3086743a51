namespace Snn.Cli;

/// <summary>Minimal "--name value" option parsing with typed defaults and clear errors.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public Options(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{name}'; options look like --name value.");
            if (!e.MoveNext()) throw new ArgumentException($"option {name} needs a value.");
            _values[name[2..]] = e.Current;
        }
    }

    public int Int(string name, int fallback) => Get(name, fallback, int.Parse);

    public ulong ULong(string name, ulong fallback) => Get(name, fallback, ulong.Parse);

    public float Float(string name, float fallback) => Get(name, fallback, s => float.Parse(s, System.Globalization.CultureInfo.InvariantCulture));

    public string String(string name, string fallback) => Get(name, fallback, s => s);

    private T Get<T>(string name, T fallback, Func<string, T> parse)
    {
        if (!_values.TryGetValue(name, out var text)) return fallback;
        try
        {
            return parse(text);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"option --{name} expects a {typeof(T).Name}, got '{text}'.");
        }
    }
}
