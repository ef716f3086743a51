"""Model C types -> C# types, the way ClangSharp spells blittable P/Invoke signatures.

Only blittable shapes are produced: primitives, pointers (T*, T**), enums, structs by value
whose fields are all of these, and primitive fixed buffers. Everything else is an error.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from errors import BindgenError
from model import (Api, Array, Builtin, CType, Enum, EnumRef, Location, OpaqueStruct, Pointer,
                   RecordRef, Struct, Typedef, TypeUse)

# Fixed-width typedefs keep their meaning on every platform, so they map by name rather than
# through what they happen to be on the target (int64_t is `long` on Linux, `long long` on Windows).
FIXED_WIDTH_TYPEDEFS = {
    "int8_t": "sbyte", "uint8_t": "byte", "int16_t": "short", "uint16_t": "ushort",
    "int32_t": "int", "uint32_t": "uint", "int64_t": "long", "uint64_t": "ulong",
    "size_t": "nuint", "ptrdiff_t": "nint", "intptr_t": "nint", "uintptr_t": "nuint",
}

BUILTINS = {
    "void": "void", "char": "sbyte", "signed char": "sbyte", "unsigned char": "byte",
    "short": "short", "unsigned short": "ushort", "int": "int", "unsigned int": "uint",
    "long long": "long", "unsigned long long": "ulong", "float": "float", "double": "double",
}

_WHY_NOT = {
    "long": "its size differs between Windows (4 bytes) and Linux (8 bytes); use int32_t or int64_t",
    "unsigned long": "its size differs between Windows (4 bytes) and Linux (8 bytes); use uint32_t or uint64_t",
    "_Bool": "bool is not blittable; use uint8_t or int32_t",
    "long double": "C# has no equivalent",
    "wchar_t": "its size differs between Windows and Linux",
}

# C types of integer literals (see parse.py) -> C# constant types. LP64: long is 64-bit.
LITERAL_TYPES = {
    "int": "int", "unsigned int": "uint", "long": "long", "unsigned long": "ulong",
    "long long": "long", "unsigned long long": "ulong",
}

# Element types C# allows in a `fixed` buffer.
FIXED_BUFFER_ELEMENTS = {"bool", "byte", "char", "short", "int", "long", "sbyte", "ushort", "uint", "ulong",
                         "float", "double"}

# Reserved C# keywords (contextual ones such as `value` or `var` are valid identifiers).
CSHARP_KEYWORDS = frozenset("""
abstract as base bool break byte case catch char checked class const continue decimal default delegate
do double else enum event explicit extern false finally fixed float for foreach goto if implicit in int
interface internal is lock long namespace new null object operator out override params private protected
public readonly ref return sbyte sealed short sizeof stackalloc static string struct switch this throw
true try typeof uint ulong unchecked unsafe ushort using virtual void volatile while
""".split())


def escape(identifier: str) -> str:
    """A C identifier as a C# identifier: keywords get C#'s verbatim '@' prefix."""
    return "@" + identifier if identifier in CSHARP_KEYWORDS else identifier


def _normalized(spelling: str) -> str:
    return "".join(spelling.split()).replace("@", "")


@dataclass(frozen=True)
class MappedType:
    csharp: str  # "long*", or the element type of a fixed buffer
    native_type_name: Optional[str]  # the C spelling for [NativeTypeName], when it adds information
    fixed_length: Optional[int] = None  # set for fixed buffers: `fixed <csharp> name[<fixed_length>]`


class TypeMapper:
    """Maps types for one Api, so struct and enum references can be checked against what is emitted."""

    def __init__(self, api: Api) -> None:
        self.structs = {d.name for d in api.of_kind(Struct)}
        self.opaque = {d.name for d in api.of_kind(OpaqueStruct)}
        self.enums = {d.name for d in api.of_kind(Enum)}

    def csharp(self, ctype: CType, where: Optional[Location], position: str) -> str:
        """C# spelling of `ctype` used as a 'field', 'parameter', 'return' value or 'pointee'."""
        if isinstance(ctype, Typedef):
            if ctype.name in FIXED_WIDTH_TYPEDEFS:
                return FIXED_WIDTH_TYPEDEFS[ctype.name]
            return self.csharp(ctype.target, where, position)
        if isinstance(ctype, Builtin):
            if ctype.name == "void" and position not in ("return", "pointee"):
                raise BindgenError(where, "void is only valid as a return type or behind a pointer")
            if ctype.name in BUILTINS:
                return BUILTINS[ctype.name]
            why = _WHY_NOT.get(ctype.name, "it has no blittable C# equivalent")
            raise BindgenError(where, f"C type '{ctype.name}' cannot be mapped: {why}")
        if isinstance(ctype, Pointer):
            if isinstance(_resolve(ctype.pointee), Array):
                raise BindgenError(where, "pointers to arrays cannot be mapped; point to the element type")
            return self.csharp(ctype.pointee, where, "pointee") + "*"
        if isinstance(ctype, RecordRef):
            if ctype.name in self.structs:
                return escape(ctype.name)  # by value is fine: every emitted struct is blittable
            if ctype.name in self.opaque:
                if position != "pointee":
                    raise BindgenError(where, f"opaque struct {ctype.name} can only be used through a pointer")
                return escape(ctype.name)
            raise BindgenError(where, f"struct {ctype.name} is not declared in the headers being bound "
                                      "(only declarations under the binding scope are emitted)")
        if isinstance(ctype, EnumRef):
            if ctype.name in self.enums:
                return escape(ctype.name)
            raise BindgenError(where, f"enum {ctype.name} is not declared in the headers being bound "
                                      "(only declarations under the binding scope are emitted)")
        if isinstance(ctype, Array):
            raise BindgenError(where, "arrays are only supported as struct fields (as C# fixed buffers)")
        raise BindgenError(where, f"unexpected type {ctype!r}")

    def map(self, use: TypeUse, where: Optional[Location], position: str) -> MappedType:
        array = _resolve(use.type)
        if isinstance(array, Array):
            if position != "field":
                raise BindgenError(where, f"array type '{use.spelling}' is only supported as a struct field")
            if isinstance(_resolve(array.element), Array):
                raise BindgenError(where, f"multi-dimensional array '{use.spelling}' cannot be a C# fixed buffer")
            element = self.csharp(array.element, where, "field")
            if element not in FIXED_BUFFER_ELEMENTS:
                raise BindgenError(where, f"array '{use.spelling}' has elements of C# type {element}; "
                                          "C# fixed buffers only hold primitive types")
            # Like ClangSharp, a fixed buffer always records its C type ("char[128]").
            return MappedType(element, use.spelling, array.length)
        csharp = self.csharp(use.type, where, position)
        native = use.spelling if _normalized(use.spelling) != _normalized(csharp) else None
        return MappedType(csharp, native)

    @staticmethod
    def literal(c_type: str) -> str:
        return LITERAL_TYPES[c_type]


def _resolve(ctype: CType) -> CType:
    """Looks through typedefs that are not fixed-width names (those are leaves)."""
    while isinstance(ctype, Typedef) and ctype.name not in FIXED_WIDTH_TYPEDEFS:
        ctype = ctype.target
    return ctype
