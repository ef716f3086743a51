using System.Globalization;
using System.Text.Json.Nodes;

namespace Snn.Networks;

/// <summary>
/// The constructor arguments that rebuild a layer: numbers, booleans, strings and arrays of numbers, keyed by the
/// snake_case argument name. It is what a saved network stores for each layer besides its tensors.
/// </summary>
public sealed class LayerConfig
{
    private readonly JsonObject _values;

    /// <summary>An empty configuration for a layer of type <paramref name="typeName"/>.</summary>
    public LayerConfig(string typeName) : this(typeName, new JsonObject()) { }

    internal LayerConfig(string typeName, JsonObject values)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        TypeName = typeName;
        _values = values;
    }

    /// <summary>The <see cref="LayerTypeAttribute.TypeName"/> of the layer.</summary>
    public string TypeName { get; }

    /// <summary>The layer's name, restored when the layer is rebuilt (set by networks and <see cref="Layer.Save"/>).</summary>
    public string? Name { get; set; }

    /// <summary>The argument names present.</summary>
    public IEnumerable<string> Keys => _values.Select(pair => pair.Key);

    /// <summary>Sets an argument; returns this configuration so calls chain.</summary>
    public LayerConfig Set(string key, double value) => Put(key, JsonValue.Create(value));

    /// <inheritdoc cref="Set(string, double)"/>
    public LayerConfig Set(string key, long value) => Put(key, JsonValue.Create(value));

    /// <inheritdoc cref="Set(string, double)"/>
    public LayerConfig Set(string key, bool value) => Put(key, JsonValue.Create(value));

    /// <inheritdoc cref="Set(string, double)"/>
    public LayerConfig Set(string key, string? value) => Put(key, value is null ? null : JsonValue.Create(value));

    /// <inheritdoc cref="Set(string, double)"/>
    public LayerConfig Set(string key, long[] value) => Put(key, new JsonArray(value.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()));

    /// <inheritdoc cref="Set(string, double)"/>
    public LayerConfig Set(string key, double[] value) => Put(key, new JsonArray(value.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()));

    /// <summary>Sets an argument holding the configurations of child layers (containers such as Sequential).</summary>
    public LayerConfig Set(string key, IEnumerable<LayerConfig> value) =>
        Put(key, new JsonArray(value.Select(c => (JsonNode?)c.ToJson()).ToArray()));

    /// <summary>The child configurations stored by <see cref="Set(string, IEnumerable{LayerConfig})"/>.</summary>
    public LayerConfig[] GetConfigs(string key) =>
        Required(key).AsArray().Select(n => FromJson(n as JsonObject ?? throw new SnnArgumentException(ErrorCode.InvalidArgument,
            $"{TypeName} configuration \"{key}\" holds something other than layer entries; the file is damaged."))).ToArray();

    /// <summary>True when <paramref name="key"/> is present (possibly as null).</summary>
    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>An integer argument.</summary>
    public long GetInt(string key) => Required(key).GetValue<long>();

    /// <summary>A number argument (integers are accepted).</summary>
    public double GetDouble(string key) => Required(key).GetValue<double>();

    /// <summary>A boolean argument.</summary>
    public bool GetBool(string key) => Required(key).GetValue<bool>();

    /// <summary>A string argument, or null when it was stored as null.</summary>
    public string? GetString(string key) => Node(key)?.GetValue<string>();

    /// <summary>An integer array argument.</summary>
    public long[] GetIntArray(string key) => Required(key).AsArray().Select(v => v!.GetValue<long>()).ToArray();

    /// <summary>A number array argument.</summary>
    public double[] GetDoubleArray(string key) => Required(key).AsArray().Select(v => v!.GetValue<double>()).ToArray();

    /// <summary>The configuration as JSON: {"type": ..., "name": ..., "config": {...}}.</summary>
    public JsonObject ToJson() => new() { ["type"] = TypeName, ["name"] = Name, ["config"] = _values.DeepClone() };

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    public static LayerConfig FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var type = json["type"]?.GetValue<string>();
        if (string.IsNullOrEmpty(type) || json["config"] is not JsonObject values)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                "a layer entry needs a string \"type\" and an object \"config\"; the file is not a saved snn network or is damaged.");
        return new LayerConfig(type, (JsonObject)values.DeepClone()) { Name = json["name"]?.GetValue<string>() };
    }

    /// <inheritdoc/>
    public override string ToString() => ToJson().ToJsonString();

    private LayerConfig Put(string key, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _values[key] = value;
        return this;
    }

    private JsonNode? Node(string key)
    {
        if (!_values.TryGetPropertyValue(key, out var node))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{TypeName} configuration lacks \"{key}\" (has {string.Join(", ", Keys)}); the file was written by another version or is damaged.");
        return node;
    }

    private JsonNode Required(string key) => Node(key) ?? throw new SnnArgumentException(ErrorCode.InvalidArgument,
        string.Create(CultureInfo.InvariantCulture, $"{TypeName} configuration has null for \"{key}\", which needs a value."));
}
