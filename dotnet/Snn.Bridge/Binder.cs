using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Text;

namespace Snn.Bridge;

/// <summary>
/// Overload resolution for calls from Python: positional and keyword arguments (snake_case names),
/// defaults, params arrays (expanded or passed as one sequence), out/ref parameters (returned in a
/// tuple), generic methods whose type arguments follow from numpy dtypes or argument types, and
/// span parameters (numpy memory passed without copying). Candidates are ranked by the sum of their
/// argument conversion scores; ties go to the unexpanded form, then to declaration order.
/// </summary>
public static unsafe class Binder
{
    private const int Default = -1;
    private const int Expanded = -2;
    private const int OutSlot = -3;

    /// <summary>A resolved call: the method and its converted arguments.</summary>
    public sealed class Bound
    {
        internal Bound(MethodBase method, ParameterInfo[] parameters, object?[] arguments, bool usesSpans)
        {
            Method = method;
            Parameters = parameters;
            Arguments = arguments;
            UsesSpans = usesSpans;
        }

        /// <summary>The chosen overload (closed when generic).</summary>
        public MethodBase Method { get; }
        /// <summary>Its parameters.</summary>
        public ParameterInfo[] Parameters { get; }
        /// <summary>Arguments, in parameter order.</summary>
        public object?[] Arguments { get; }
        /// <summary>Whether spans are passed (the call goes through a generated invoker).</summary>
        public bool UsesSpans { get; }

        /// <summary>Calls the method; exceptions it throws propagate unwrapped.</summary>
        public object? Invoke(object? target)
        {
            if (UsesSpans) return SpanInvoker.For(Method)(target, Arguments);
            return Method is ConstructorInfo ctor
                ? ctor.Invoke(BindingFlags.DoNotWrapExceptions, null, Arguments, null)
                : Method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, Arguments, null);
        }

        /// <summary>The Python result: the return value, or a tuple of it and the out/ref values.</summary>
        public object?[]? OutValues(object? result, out bool hasOuts)
        {
            var outs = new List<object?>();
            if (Method is MethodInfo mi && mi.ReturnType != typeof(void)) outs.Add(result);
            var count = 0;
            for (var i = 0; i < Parameters.Length; i++)
                if (Parameters[i].ParameterType.IsByRef)
                {
                    outs.Add(Arguments[i]);
                    count++;
                }
            hasOuts = count > 0;
            return hasOuts ? outs.ToArray() : null;
        }
    }

    private sealed class Plan
    {
        public required MethodBase Method;
        public required ParameterInfo[] Parameters;
        public required int[] Slots;
        public int[] Extra = [];
        public bool IsExpanded;
        public int Score;
        public int Order;
        public bool Converted;
        public Failure? Failure;
        public string? FailedParameter;
    }

    /// <summary>Picks the overload of <paramref name="candidates"/> that fits the arguments and converts them.</summary>
    /// <param name="displayName">"Class.member" for error messages.</param>
    /// <param name="pythonName">The member's Python name, for signatures in error messages.</param>
    /// <param name="candidates">Overloads (accessors for properties and indexers).</param>
    /// <param name="args">Positional arguments followed by keyword arguments.</param>
    /// <param name="positional">How many of <paramref name="args"/> are positional.</param>
    /// <param name="keywords">Names of the keyword arguments.</param>
    /// <param name="scope">Owner of temporaries (host views, pins) for the call.</param>
    public static Bound Bind(string displayName, string pythonName, IReadOnlyList<MethodBase> candidates,
        ReadOnlySpan<Variant> args, int positional, string[] keywords, CallScope scope)
    {
        if (candidates.Count == 0) throw new BindingException($"{displayName} has no overload Python can call");
        var plans = new List<Plan>();
        var arityErrors = new List<(MethodBase Method, string Error)>();
        for (var order = 0; order < candidates.Count; order++)
        {
            var method = candidates[order];
            var parameters = method.GetParameters();
            var made = 0;
            string? error = null;
            foreach (var expanded in new[] { false, true })
            {
                if (expanded && !HasParamsArray(parameters)) continue;
                var plan = Arrange(method, parameters, args, positional, keywords, expanded, out var e);
                if (plan is null)
                {
                    error ??= e;
                    continue;
                }
                plan.Order = order;
                if (method is MethodInfo { IsGenericMethodDefinition: true } generic)
                {
                    var closed = Infer(generic, parameters, plan, args, out var inferError);
                    if (closed is null)
                    {
                        plan.Failure = new Failure(FailKind.Type, inferError!);
                        plans.Add(plan);
                        made++;
                        continue;
                    }
                    plan.Method = closed;
                    plan.Parameters = closed.GetParameters();
                }
                Score(plan, args, null);
                plans.Add(plan);
                made++;
            }
            if (made == 0) arityErrors.Add((method, error!));
        }

        var best = plans.Where(p => p.Failure is null)
            .OrderBy(p => p.Score).ThenBy(p => p.IsExpanded ? 1 : 0).ThenBy(p => p.Order).FirstOrDefault();
        if (best is null) throw NoMatch(displayName, pythonName, candidates.Count, plans, arityErrors, args, positional, keywords);

        var arguments = Score(best, args, scope);
        return new Bound(best.Method, best.Parameters, arguments!, best.Parameters.Any(p => Inbound.SpanElement(p.ParameterType, out _, out _)));
    }

    private static bool HasParamsArray(ParameterInfo[] parameters) =>
        parameters.Length > 0 && parameters[^1].ParameterType.IsArray && parameters[^1].IsDefined(typeof(ParamArrayAttribute), false);

    private static bool IsOut(ParameterInfo p) => p.ParameterType.IsByRef && p.IsOut && !p.IsIn;

    // Maps arguments to parameter slots (no conversion yet); null with an error when the arity or names do not fit.
    private static Plan? Arrange(MethodBase method, ParameterInfo[] parameters, ReadOnlySpan<Variant> args, int positional,
        string[] keywords, bool expanded, out string? error)
    {
        error = null;
        var slots = new int[parameters.Length];
        Array.Fill(slots, int.MinValue);
        var inputs = new List<int>();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (IsOut(parameters[i])) slots[i] = OutSlot;
            else inputs.Add(i);
        }
        var paramsIndex = expanded ? parameters.Length - 1 : -1;
        var fixedInputs = expanded ? inputs.Count - 1 : inputs.Count;
        var extra = new List<int>();
        for (var k = 0; k < positional; k++)
        {
            if (k < fixedInputs) slots[inputs[k]] = k;
            else if (expanded) extra.Add(k);
            else
            {
                error = $"takes at most {inputs.Count} positional argument{(inputs.Count == 1 ? "" : "s")} ({positional} given)";
                return null;
            }
        }
        for (var j = 0; j < keywords.Length; j++)
        {
            var index = -1;
            foreach (var i in inputs)
                if (Naming.Member(parameters[i].Name ?? "") == keywords[j]) index = i;
            if (index < 0)
            {
                error = $"got an unexpected keyword argument '{keywords[j]}'";
                return null;
            }
            if (index == paramsIndex)
            {
                error = $"got '{keywords[j]}' both as a keyword and as extra positional arguments";
                return null;
            }
            if (slots[index] != int.MinValue)
            {
                error = $"got multiple values for argument '{keywords[j]}'";
                return null;
            }
            slots[index] = positional + j;
        }
        foreach (var i in inputs)
        {
            if (slots[i] != int.MinValue) continue;
            if (i == paramsIndex) slots[i] = Expanded;
            else if (parameters[i].HasDefaultValue || parameters[i].IsOptional) slots[i] = Default;
            else if (!expanded && i == parameters.Length - 1 && HasParamsArray(parameters))
            {
                error = "no value for the params argument";   // the expanded form covers this call
                return null;
            }
            else
            {
                error = $"missing required argument '{Naming.Member(parameters[i].Name ?? "")}'";
                return null;
            }
        }
        return new Plan { Method = method, Parameters = parameters, Slots = slots, Extra = extra.ToArray(), IsExpanded = expanded };
    }

    // With a null scope: checks and scores the plan. With a scope: converts and returns the arguments.
    private static object?[]? Score(Plan plan, ReadOnlySpan<Variant> args, CallScope? scope)
    {
        var parameters = plan.Parameters;
        var values = scope is null ? null : new object?[parameters.Length];
        var total = 0;
        var spans = false;
        var byRef = false;
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var type = p.ParameterType;
            if (Inbound.SpanElement(type, out _, out _)) spans = true;
            if (type.IsByRef) byRef = true;
            var slot = plan.Slots[i];
            switch (slot)
            {
                case OutSlot:
                    if (values is not null) values[i] = DefaultOf(type.GetElementType()!);
                    continue;
                case Default:
                    if (values is not null) values[i] = DefaultValue(p);
                    continue;
                case Expanded:
                {
                    var element = type.GetElementType()!;
                    var array = values is null ? null : Array.CreateInstance(element, plan.Extra.Length);
                    for (var k = 0; k < plan.Extra.Length; k++)
                    {
                        var s = Inbound.Convert(args[plan.Extra[k]], element, scope, out var item, out var f);
                        if (s < 0)
                            return Reject(plan, f! with { Message = $"argument '{Naming.Member(p.Name ?? "")}' item {k}: {f!.Message}" }, p);
                        total += s;
                        array?.SetValue(item, k);
                    }
                    if (values is not null) values[i] = array;
                    total += 1;
                    continue;
                }
                default:
                {
                    var s = Inbound.Convert(args[slot], type, scope, out var value, out var f);
                    if (s < 0)
                        return Reject(plan, f! with { Message = $"argument '{Naming.Member(p.Name ?? "")}': {f!.Message}" }, p);
                    total += s;
                    if (values is not null) values[i] = value;
                    continue;
                }
            }
        }
        if (spans && byRef)
            return Reject(plan, new Failure(FailKind.Type, "span parameters cannot be combined with ref or out parameters"), null);
        plan.Score = total;
        plan.Converted = true;
        return values;
    }

    private static object?[]? Reject(Plan plan, Failure failure, ParameterInfo? parameter)
    {
        plan.Failure = failure;
        plan.FailedParameter = parameter?.Name;
        return null;
    }

    private static object? DefaultOf(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;

    private static object? DefaultValue(ParameterInfo p)
    {
        var type = p.ParameterType;
        if (!p.HasDefaultValue) return DefaultOf(type);
        var value = p.DefaultValue;
        if (value is null || value is DBNull || value == Type.Missing) return DefaultOf(type);
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsEnum && value.GetType() != target) return Enum.ToObject(target, value);
        return value;
    }

    // Type arguments of a generic method from the arguments: T from T, T[], Span<T>, ReadOnlySpan<T>
    // and IEnumerable<T>-like parameters (a numpy array gives its dtype's element type).
    private static MethodInfo? Infer(MethodInfo generic, ParameterInfo[] parameters, Plan plan, ReadOnlySpan<Variant> args, out string? error)
    {
        error = null;
        var map = new Dictionary<Type, Type>();
        for (var i = 0; i < parameters.Length; i++)
            if (plan.Slots[i] >= 0) Unify(parameters[i].ParameterType, args[plan.Slots[i]], map);
        var typeArgs = generic.GetGenericArguments();
        var resolved = new Type[typeArgs.Length];
        for (var i = 0; i < typeArgs.Length; i++)
        {
            if (!map.TryGetValue(typeArgs[i], out var t))
            {
                error = $"cannot infer type argument {typeArgs[i].Name} from the arguments";
                return null;
            }
            resolved[i] = t;
        }
        try
        {
            return generic.MakeGenericMethod(resolved);
        }
        catch (ArgumentException)
        {
            error = $"type arguments <{string.Join(", ", resolved.Select(Naming.CSharp))}> do not satisfy the constraints of {generic.Name}";
            return null;
        }
    }

    private static void Unify(Type parameter, in Variant v, Dictionary<Type, Type> map)
    {
        if (parameter.IsByRef) parameter = parameter.GetElementType()!;
        if (parameter.IsGenericParameter)
        {
            if (!map.ContainsKey(parameter) && NaturalType(v) is { } natural) map[parameter] = natural;
            return;
        }
        Type? element = null;
        if (parameter.IsArray) element = parameter.GetElementType();
        else if (parameter.IsGenericType && parameter.GetGenericArguments().Length == 1) element = parameter.GetGenericArguments()[0];
        if (element is null || !element.IsGenericParameter || map.ContainsKey(element)) return;
        if (v.Kind == Tag.NdArray && Numpy.Element(Inbound.TypeStr((NdArrayIn*)v.A)) is { } dtype) map[element] = dtype;
        else if (v.Kind is Tag.List or Tag.Tuple && v.B > 0 && NaturalType(*(Variant*)v.A) is { } first) map[element] = first;
        else if (v.Kind == Tag.Bytes) map[element] = typeof(byte);
    }

    private static Type? NaturalType(in Variant v) => v.Kind switch
    {
        Tag.Bool => typeof(bool),
        Tag.Int => typeof(long),
        Tag.UInt => typeof(ulong),
        Tag.Float => typeof(double),
        Tag.Str => typeof(string),
        Tag.Enum => Registry.TypeOf(v.Aux),
        Tag.Object => Handles.Target(v.A).GetType(),
        _ => null,
    };

    private static Exception NoMatch(string displayName, string pythonName, int candidateCount, List<Plan> plans,
        List<(MethodBase Method, string Error)> arityErrors, ReadOnlySpan<Variant> args, int positional, string[] keywords)
    {
        var given = new List<string>();
        for (var i = 0; i < args.Length; i++)
            given.Add(i < positional ? Inbound.Describe(args[i]) : $"{keywords[i - positional]}={Inbound.Describe(args[i])}");
        var call = $"{displayName}({string.Join(", ", given)})";

        // One overload accepts this many arguments: its own failure is the error (TypeError, OverflowError
        // or, for a numpy array of the wrong dtype or layout, ValueError).
        var reached = plans.Select(p => p.Order).Distinct().Count();
        if (candidateCount == 1 && plans.Count > 0 && reached == 1)
        {
            var plan = plans.OrderBy(p => p.IsExpanded ? 1 : 0).First();
            var failure = plan.Failure!;
            return failure.Kind == FailKind.Type
                ? new BindingException($"{call}: {failure.Message}. Signature: {Signatures.Python(plan.Method, pythonName)}")
                : failure.ToException(plan.FailedParameter is null ? null : Naming.Member(plan.FailedParameter));
        }
        if (candidateCount == 1 && arityErrors.Count == 1)
            return new BindingException($"{call} {arityErrors[0].Error}. Signature: {Signatures.Python(arityErrors[0].Method, pythonName)}");

        var text = new StringBuilder($"no overload of {displayName} matches {call}; candidates:");
        foreach (var plan in plans)
            text.Append($"\n  {Signatures.Python(plan.Method, pythonName)}  -- {plan.Failure!.Message}");
        foreach (var (method, error) in arityErrors)
            text.Append($"\n  {Signatures.Python(method, pythonName)}  -- {error}");
        return new BindingException(text.ToString());
    }
}

/// <summary>Signature text for docs and errors.</summary>
public static class Signatures
{
    /// <summary>Python-style: "from_array(values: Array, device: Device? = None) -> Tensor".</summary>
    public static string Python(MethodBase method, string pythonName)
    {
        var parts = new List<string>();
        foreach (var p in method.GetParameters())
        {
            if (p.ParameterType.IsByRef && p.IsOut && !p.IsIn) continue;
            var name = Naming.Member(p.Name ?? "arg");
            var isParams = p.ParameterType.IsArray && p.IsDefined(typeof(ParamArrayAttribute), false);
            var text = (isParams ? "*" : "") + name + ": " + (isParams ? Naming.CSharp(p.ParameterType.GetElementType()!) : Naming.CSharp(p));
            if (p.HasDefaultValue || (p.IsOptional && !isParams)) text += " = " + Naming.PythonLiteral(p.HasDefaultValue ? p.DefaultValue : null, p.ParameterType);
            parts.Add(text);
        }
        var result = $"{pythonName}({string.Join(", ", parts)})";
        var returns = Returns(method);
        return returns is null ? result : result + " -> " + returns;
    }

    /// <summary>C#-style: "public static Tensor FromArray(Array values, Device? device = null)".</summary>
    public static string CSharp(MethodBase method)
    {
        var parts = method.GetParameters().Select(p =>
        {
            var prefix = p.ParameterType.IsByRef ? (p.IsOut ? "out " : p.IsIn ? "in " : "ref ") : "";
            if (p.IsDefined(typeof(ParamArrayAttribute), false)) prefix = "params ";
            var text = prefix + Naming.CSharp(p) + " " + p.Name;
            if (p.HasDefaultValue) text += " = " + CSharpLiteral(p.DefaultValue, p.ParameterType);
            return text;
        });
        var name = method is ConstructorInfo ? Naming.Class(method.DeclaringType!) : method.Name;
        if (method.IsGenericMethodDefinition) name += "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">";
        var returns = method is MethodInfo mi ? Naming.CSharp(mi.ReturnType) + " " : "";
        return $"{(method.IsStatic ? "static " : "")}{returns}{name}({string.Join(", ", parts)})";
    }

    private static string? Returns(MethodBase method)
    {
        var outs = method.GetParameters().Where(p => p.ParameterType.IsByRef).Select(p => Naming.CSharp(p.ParameterType)).ToList();
        var ret = method switch
        {
            ConstructorInfo c => null,
            MethodInfo m when m.ReturnType == typeof(void) => outs.Count == 0 ? "None" : null,
            MethodInfo m => Naming.CSharp(m.ReturnType),
            _ => null,
        };
        if (outs.Count == 0) return ret;
        var all = ret is null || ret == "None" ? outs : [ret, .. outs];
        return all.Count == 1 ? all[0] : "(" + string.Join(", ", all) + ")";
    }

    private static string CSharpLiteral(object? value, Type type)
    {
        if (value is null || value is DBNull) return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : "null";
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsEnum) return Naming.CSharp(target) + "." + (Enum.GetName(target, Enum.ToObject(target, value)) ?? value.ToString());
        return value switch
        {
            bool b => b ? "true" : "false",
            string s => "\"" + s + "\"",
            float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "null",
        };
    }
}

/// <summary>
/// Calls methods with span parameters, which reflection cannot box: a generated method builds each
/// span from a <see cref="SpanArg"/> (address and length) and calls the target directly.
/// </summary>
public static class SpanInvoker
{
    private static readonly ConcurrentDictionary<MethodBase, Func<object?, object?[], object?>> Cache = new();

    /// <summary>The invoker of <paramref name="method"/>.</summary>
    public static Func<object?, object?[], object?> For(MethodBase method) => Cache.GetOrAdd(method, Build);

    private static Func<object?, object?[], object?> Build(MethodBase method)
    {
        var dm = new DynamicMethod("snn_bridge_invoke_" + method.Name, typeof(object), [typeof(object), typeof(object[])],
            typeof(SpanInvoker).Module, skipVisibility: true);
        var il = dm.GetILGenerator();
        var declaring = method.DeclaringType!;
        if (!method.IsStatic && method is MethodInfo)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(declaring.IsValueType ? OpCodes.Unbox : OpCodes.Castclass, declaring);
        }
        var parameters = method.GetParameters();
        var pointer = typeof(SpanArg).GetProperty(nameof(SpanArg.Pointer))!.GetMethod!;
        var length = typeof(SpanArg).GetProperty(nameof(SpanArg.Length))!.GetMethod!;
        for (var i = 0; i < parameters.Length; i++)
        {
            var type = parameters[i].ParameterType;
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelem_Ref);
            if (Inbound.SpanElement(type, out _, out _))
            {
                il.Emit(OpCodes.Unbox, typeof(SpanArg));
                il.Emit(OpCodes.Dup);
                il.Emit(OpCodes.Call, pointer);
                var address = il.DeclareLocal(typeof(IntPtr));
                il.Emit(OpCodes.Stloc, address);
                il.Emit(OpCodes.Call, length);
                var count = il.DeclareLocal(typeof(int));
                il.Emit(OpCodes.Stloc, count);
                il.Emit(OpCodes.Ldloc, address);
                il.Emit(OpCodes.Ldloc, count);
                var ctor = type.GetConstructor([typeof(void*), typeof(int)])!;
                il.Emit(OpCodes.Newobj, ctor);
            }
            else
            {
                il.Emit(OpCodes.Unbox_Any, type);
            }
        }
        Type returnType;
        switch (method)
        {
            case ConstructorInfo ctor:
                il.Emit(OpCodes.Newobj, ctor);
                returnType = declaring;
                break;
            case MethodInfo mi:
                il.Emit(mi.IsStatic || declaring.IsValueType || !mi.IsVirtual ? OpCodes.Call : OpCodes.Callvirt, mi);
                returnType = mi.ReturnType;
                break;
            default:
                throw new NotSupportedException(method.ToString());
        }
        if (returnType == typeof(void)) il.Emit(OpCodes.Ldnull);
        else if (returnType.IsValueType) il.Emit(OpCodes.Box, returnType);
        il.Emit(OpCodes.Ret);
        return (Func<object?, object?[], object?>)dm.CreateDelegate(typeof(Func<object?, object?[], object?>));
    }
}
