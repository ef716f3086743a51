"""The small, libclang-free model of a C API that the emitters work from.

parse.py fills it from libclang; typemap.py, csharp.py and layout.py only ever see these
plain values, which keeps libclang's quirks in one module and makes the emitters easy to test.
Declarations keep their header order and, within a header, their declaration order.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union


@dataclass(frozen=True)
class Location:
    path: str  # as it should be shown to a person: relative to the working directory when possible
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


# ---- C types -------------------------------------------------------------------------------
# Only the shapes the generator may be able to map; anything else is rejected while parsing.


@dataclass(frozen=True)
class Builtin:
    """A C builtin type by its canonical name: 'int', 'unsigned char', 'double', 'void', ..."""
    name: str


@dataclass(frozen=True)
class Typedef:
    """A use of a typedef name; `target` is what it stands for (one level down)."""
    name: str
    target: "CType"


@dataclass(frozen=True)
class Pointer:
    pointee: "CType"


@dataclass(frozen=True)
class Array:
    """A constant-size array; only valid as a struct field (it becomes a C# fixed buffer)."""
    element: "CType"
    length: int


@dataclass(frozen=True)
class RecordRef:
    """A struct by its tag name (complete or opaque)."""
    name: str


@dataclass(frozen=True)
class EnumRef:
    name: str


CType = Union[Builtin, Typedef, Pointer, Array, RecordRef, EnumRef]


@dataclass(frozen=True)
class TypeUse:
    """A type where it is used, with clang's spelling of it there ("const int64_t *"),
    which is what [NativeTypeName] records when it differs from the C# spelling."""
    type: CType
    spelling: str


# ---- declarations --------------------------------------------------------------------------


@dataclass(frozen=True)
class EnumConstant:
    name: str
    value: int
    location: Location
    doc: Optional[str] = None  # its C comment without the comment markers


@dataclass(frozen=True)
class Enum:
    name: str
    constants: tuple[EnumConstant, ...]
    location: Location
    doc: Optional[str] = None  # its C comment without the comment markers


@dataclass(frozen=True)
class OpaqueStruct:
    """A struct that is declared but never defined: only pointers to it cross the ABI."""
    name: str
    location: Location
    doc: Optional[str] = None  # its C comment without the comment markers


@dataclass(frozen=True)
class Field:
    name: str
    use: TypeUse
    offset: int  # bytes, as libclang laid the struct out for the target
    location: Location
    doc: Optional[str] = None  # its C comment without the comment markers


@dataclass(frozen=True)
class Struct:
    name: str
    fields: tuple[Field, ...]
    size: int  # bytes
    alignment: int  # bytes
    location: Location
    doc: Optional[str] = None  # its C comment without the comment markers


@dataclass(frozen=True)
class Parameter:
    name: str
    use: TypeUse
    location: Location


@dataclass(frozen=True)
class Function:
    name: str
    result: TypeUse
    parameters: tuple[Parameter, ...]
    location: Location
    doc: Optional[str] = None  # its C comment without the comment markers


@dataclass(frozen=True)
class IntegerMacro:
    """`#define NAME <integer literal>`; `text` is the definition as written after the name."""
    name: str
    value: int
    text: str
    c_type: str  # the literal's C type by the C11 rules ('int', 'unsigned int', 'long', ...)
    hex: bool  # whether the source spelled it in hexadecimal (kept in the C# literal)
    location: Location
    doc: Optional[str] = None  # its C comment without the comment markers


Declaration = Union[Enum, OpaqueStruct, Struct, Function, IntegerMacro]


@dataclass(frozen=True)
class Api:
    """Everything to bind, in header order then declaration order."""
    declarations: tuple[Declaration, ...]
    main_header_include: str  # how the C layout checks #include the umbrella header ("snn/snn.h")
    target: str  # clang target triple the layouts were computed for

    def of_kind(self, kind):
        return [d for d in self.declarations if isinstance(d, kind)]
