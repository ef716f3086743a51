using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Snn.Tests.Generated;
using Xunit;

namespace Snn.Tests;

/// <summary>
/// Checks the generated C# structs (dotnet/Snn.Native/Generated/Structs.g.cs) against the sizes and
/// field offsets libclang computed for the C structs (dotnet/Snn.Tests/Generated/StructLayoutExpectations.g.cs,
/// written by scripts/generate-bindings). The native build checks the same numbers with the
/// static_asserts of native/tests/generated/layout_expectations.g.h, so both compilers agree with
/// libclang and therefore with each other.
/// </summary>
public sealed class StructLayoutTests
{
    /// <summary>The C name of every struct of the C ABI.</summary>
    public static TheoryData<string> Structs
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var expected in StructLayoutExpectations.All)
            {
                data.Add(expected.CName);
            }
            return data;
        }
    }

    [Fact]
    public void Expectations_cover_the_C_ABI_structs()
    {
        var names = StructLayoutExpectations.All.Select(s => s.CName).ToArray();
        Assert.Contains("snn_device_info", names);
        Assert.Contains("snn_tensor_info", names);
        Assert.Contains("snn_neuron_params", names);
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Structs))]
    public void Generated_struct_is_blittable(string cName)
    {
        var type = Resolve(Find(cName));
        Assert.True(type.IsValueType, $"{type} is not a struct");
        Assert.False(InvokeGeneric<bool>(nameof(RuntimeHelpers.IsReferenceOrContainsReferences), typeof(RuntimeHelpers), type),
            $"{type} contains managed references, so it cannot cross the C ABI by pointer");
    }

    [Theory]
    [MemberData(nameof(Structs))]
    public void Size_matches_the_native_struct(string cName)
    {
        var expected = Find(cName);
        var type = Resolve(expected);
        Assert.Equal(expected.Size, InvokeGeneric<int>(nameof(Unsafe.SizeOf), typeof(Unsafe), type));
        Assert.Equal(expected.Size, Marshal.SizeOf(type));
    }

    [Theory]
    [MemberData(nameof(Structs))]
    public void Fields_match_the_native_struct_in_order(string cName)
    {
        var expected = Find(cName);
        var actual = Resolve(expected)
            .GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .OrderBy(field => field.MetadataToken)
            .Select(field => field.Name);
        Assert.Equal(expected.Fields.Select(field => field.Name), actual);
    }

    [Theory]
    [MemberData(nameof(Structs))]
    public void Field_offsets_match_the_native_struct(string cName)
    {
        var expected = Find(cName);
        var type = Resolve(expected);
        var mismatches = expected.Fields
            .Select(field => (field.Name, Expected: field.Offset, Actual: Marshal.OffsetOf(type, field.Name).ToInt32()))
            .Where(field => field.Expected != field.Actual)
            .Select(field => $"{cName}.{field.Name}: C offset {field.Expected}, C# offset {field.Actual}")
            .ToArray();
        Assert.Empty(mismatches);
    }

    private static ExpectedStruct Find(string cName) =>
        StructLayoutExpectations.All.Single(expected => expected.CName == cName);

    // Resolved through the bindings' own assembly, so the test does not depend on its file name.
    private static Type Resolve(ExpectedStruct expected) =>
        typeof(global::Snn.Native.Methods).Assembly.GetType(expected.TypeName, throwOnError: true)!;

    private static T InvokeGeneric<T>(string method, Type owner, Type typeArgument) =>
        (T)owner.GetMethod(method, BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)!
            .MakeGenericMethod(typeArgument)
            .Invoke(null, null)!;
}
