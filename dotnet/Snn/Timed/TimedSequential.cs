namespace Snn.Timed;

/// <summary>
/// Rockpool's timed Sequential: timed modules evolved one after the other on time series, the output series of one
/// the input of the next. Every module shares one dt (Rockpool finds a common multiple; here they must be equal),
/// each module's output kind and size must match the next one's input. Parameters, state and records come out nested
/// by sub-module name.
/// </summary>
public sealed class TimedSequential : TimedModule
{
    private readonly List<KeyValuePair<string, TimedModule>> _modules = [];
    private readonly bool _ownsModules;

    /// <summary>Chains <paramref name="modules"/> (at least one); they stay owned by the caller.</summary>
    public TimedSequential(params TimedModule[] modules) : this(modules, null) { }

    /// <summary>Chains <paramref name="modules"/> under <paramref name="name"/>; with <paramref name="ownsModules"/>,
    /// disposing the sequence disposes them.</summary>
    public TimedSequential(IReadOnlyList<TimedModule> modules, string? name, bool ownsModules = false)
        : base(First(modules).Dt, First(modules).SizeIn, modules[^1].SizeOut, modules[0].SpikingInput, modules[^1].SpikingOutput, name)
    {
        _ownsModules = ownsModules;
        for (var i = 0; i < modules.Count; i++)
        {
            var m = modules[i] ?? throw new SnnArgumentException(ErrorCode.InvalidArgument, $"TimedSequential: module {i} is null.");
            if (Math.Abs(m.Dt - Dt) > 1e-12 * Dt)
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"TimedSequential: module {i} ({m.FullName}) has dt = {m.Dt} but module 0 has {Dt}; give every module the same dt.");
            if (i > 0)
            {
                var before = modules[i - 1];
                if (before.SizeOut != m.SizeIn)
                    throw new SnnArgumentException(ErrorCode.InvalidArgument,
                        $"TimedSequential: {before.FullName} sends {before.SizeOut} channels but {m.FullName} takes {m.SizeIn}; match the sizes.");
                if (before.SpikingOutput != m.SpikingInput)
                    throw new SnnArgumentException(ErrorCode.InvalidArgument,
                        $"TimedSequential: {before.FullName} sends {before.OutputType.Name} but {m.FullName} takes {m.InputType.Name}.");
            }
            var key = string.IsNullOrEmpty(m.Name) || _modules.Any(p => p.Key == m.Name) ? $"{i}_{m.ClassName}" : m.Name;
            _modules.Add(new(key, m));
        }
    }

    /// <inheritdoc/>
    public override Dictionary<string, TimedModule> Modules() => _modules.ToDictionary(p => p.Key, p => p.Value);

    /// <inheritdoc/>
    protected override (TimeSeries Output, Dictionary<string, object> Record) EvolveCore(TimeSeries? tsInput, long steps, bool record)
    {
        var records = new Dictionary<string, object>();
        var current = tsInput;
        foreach (var (key, module) in _modules)
        {
            module.T = T;
            var (output, _, recorded) = module.Evolve(current, numTimesteps: steps, record: record);
            if (recorded.Count > 0) records[key] = recorded;
            current = output;
        }
        return (current!, records);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsModules) foreach (var (_, m) in _modules) m.Dispose();
        base.Dispose(disposing);
    }

    private static TimedModule First(IReadOnlyList<TimedModule> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        if (modules.Count == 0 || modules[0] is null)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, "TimedSequential needs at least one module.");
        return modules[0];
    }
}
