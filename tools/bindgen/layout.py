"""Emits the struct layout libclang computed, for both sides of the boundary to check against.

- StructLayoutExpectations.g.cs: data for the xunit test dotnet/Snn.Tests/StructLayoutTests.cs,
  which compares it with the C# structs (Unsafe.SizeOf, Marshal.OffsetOf).
- layout_expectations.g.h: static_asserts that the native compiler's view of every struct,
  enum and integer macro matches the same libclang data. Valid C11 and C++11.
"""
from __future__ import annotations

from dataclasses import dataclass

from csharp import banner, header
from model import Api, Enum, IntegerMacro, Struct


@dataclass(frozen=True)
class LayoutOptions:
    bindings_namespace: str = "Snn.Native"  # where the C# structs live
    bindings_assembly: str = "Snn.Native"
    tests_namespace: str = "Snn.Tests.Generated"


def _cs_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def csharp_expectations(api: Api, options: LayoutOptions) -> str:
    lines = [header(api.main_header_include).rstrip("\n"), "", "#nullable enable", "",
             f"namespace {options.tests_namespace};", ""]
    lines += [
        "/// <summary>One field of a native struct as libclang laid it out.</summary>",
        "/// <param name=\"Name\">The field's C name, which is also its C# name (for Marshal.OffsetOf).</param>",
        "/// <param name=\"Offset\">Byte offset from the start of the struct.</param>",
        "public sealed record ExpectedField(string Name, int Offset);",
        "",
        "/// <summary>Size, alignment and field offsets of one native struct as libclang laid it out.</summary>",
        "/// <param name=\"CName\">The struct's C tag name.</param>",
        "/// <param name=\"TypeName\">Full name of the generated C# struct, for Assembly.GetType.</param>",
        "/// <param name=\"AssemblyQualifiedName\">The same with its assembly, for Type.GetType.</param>",
        "/// <param name=\"Size\">sizeof in bytes.</param>",
        "/// <param name=\"Alignment\">Alignment in bytes.</param>",
        "/// <param name=\"Fields\">Every field, in declaration order.</param>",
        "public sealed record ExpectedStruct(string CName, string TypeName, string AssemblyQualifiedName, int Size, "
        "int Alignment, global::System.Collections.Generic.IReadOnlyList<ExpectedField> Fields);",
        "",
        "/// <summary>The layout of every struct of the C ABI, computed by libclang when the bindings were generated.</summary>",
        "public static class StructLayoutExpectations",
        "{",
        "    /// <summary>The clang target triple the layouts were computed for.</summary>",
        f"    public const string Target = {_cs_string(api.target)};",
        "",
        "    /// <summary>Every struct, in header order then declaration order.</summary>",
        "    public static global::System.Collections.Generic.IReadOnlyList<ExpectedStruct> All { get; } = new ExpectedStruct[]",
        "    {",
    ]
    for struct in api.of_kind(Struct):
        type_name = f"{options.bindings_namespace}.{struct.name}"
        lines.append(f"        new ExpectedStruct({_cs_string(struct.name)}, {_cs_string(type_name)}, "
                     f"{_cs_string(type_name + ', ' + options.bindings_assembly)}, {struct.size}, {struct.alignment}, "
                     "new ExpectedField[]")
        lines.append("        {")
        lines += [f"            new ExpectedField({_cs_string(f.name)}, {f.offset})," for f in struct.fields]
        lines.append("        }),")
    lines += ["    };", "}"]
    return "\n".join(lines) + "\n"


def _c_integer(value: int) -> str:
    """An integer the C compiler reads as exactly `value`, without overflow warnings."""
    if value > 2**63 - 1:
        return f"{value}ULL"
    if value == -2**63:
        return "(-9223372036854775807LL - 1)"
    return str(value)


def c_static_asserts(api: Api) -> str:
    """`struct`/`enum` are spelled out so the checks hold whether or not a typedef exists."""
    guard = "BINDGEN_LAYOUT_EXPECTATIONS_G_H"
    text = banner(api.main_header_include)
    lines = [f"/* {text[0]}"] + [f" * {line}" for line in text[1:]] + [
             " *",
             f" * The layout libclang computed for {api.target} when the C# bindings were generated.",
             " * Include this from a native test: it fails to compile if the C compiler disagrees. */",
             f"#ifndef {guard}",
             f"#define {guard}",
             "",
             "#include <assert.h>",
             "#include <stddef.h>",
             "",
             f"#include \"{api.main_header_include}\"",
             "",
             "#ifdef __cplusplus",
             "#define BINDGEN_ALIGNOF(type) alignof(type)",
             "#else",
             "#define BINDGEN_ALIGNOF(type) _Alignof(type)",
             "#endif",
             ""]
    for declaration in api.declarations:
        if isinstance(declaration, Struct):
            s = f"struct {declaration.name}"
            lines.append(f"/* {s} */")
            lines.append(f"static_assert(sizeof({s}) == {declaration.size}, "
                         f"\"sizeof({s}) differs from the C# bindings\");")
            lines.append(f"static_assert(BINDGEN_ALIGNOF({s}) == {declaration.alignment}, "
                         f"\"alignof({s}) differs from the C# bindings\");")
            for field in declaration.fields:
                lines.append(f"static_assert(offsetof({s}, {field.name}) == {field.offset}, "
                             f"\"offsetof({s}, {field.name}) differs from the C# bindings\");")
            lines.append("")
        elif isinstance(declaration, Enum):
            e = f"enum {declaration.name}"
            lines.append(f"/* {e} */")
            lines.append(f"static_assert(sizeof({e}) == 4, \"{e} is not int-sized like its C# enum\");")
            for constant in declaration.constants:
                lines.append(f"static_assert({constant.name} == {constant.value}, "
                             f"\"{constant.name} differs from the C# bindings\");")
            lines.append("")
        elif isinstance(declaration, IntegerMacro):
            lines.append(f"static_assert({declaration.name} == {_c_integer(declaration.value)}, "
                         f"\"{declaration.name} differs from the C# bindings\");")
            lines.append("")
    lines += ["#undef BINDGEN_ALIGNOF", "", f"#endif /* {guard} */"]
    return "\n".join(lines) + "\n"
