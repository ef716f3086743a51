"""libclang -> model: reads the headers and keeps only what the bindings can express.

Anything the model cannot represent (unions, function pointers, bitfields, varargs, unnamed
or nested types, layouts C# sequential structs cannot reproduce, macros that are not plain
integer constants...) is reported as an error at its file:line instead of being skipped, so a
header change can never silently produce wrong bindings.
"""
from __future__ import annotations

import os
import re
from typing import Iterable, Optional

from clang_setup import cindex
from errors import BindgenError, ErrorList
from model import (Api, Array, Builtin, CType, Enum, EnumConstant, EnumRef, Field, Function,
                   IntegerMacro, Location, OpaqueStruct, Parameter, Pointer, RecordRef, Struct,
                   Typedef, TypeUse)

DEFAULT_TARGET = "x86_64-unknown-linux-gnu"

ci = cindex()
K = ci.CursorKind
T = ci.TypeKind

# Canonical C names of the builtin types; typemap.py decides which of them C# can take.
_BUILTIN_NAMES = {
    T.VOID: "void", T.BOOL: "_Bool", T.CHAR_S: "char", T.CHAR_U: "char", T.SCHAR: "signed char",
    T.UCHAR: "unsigned char", T.SHORT: "short", T.USHORT: "unsigned short", T.INT: "int",
    T.UINT: "unsigned int", T.LONG: "long", T.ULONG: "unsigned long", T.LONGLONG: "long long",
    T.ULONGLONG: "unsigned long long", T.FLOAT: "float", T.DOUBLE: "double",
    T.LONGDOUBLE: "long double", T.INT128: "__int128", T.UINT128: "unsigned __int128",
    T.WCHAR: "wchar_t", T.CHAR16: "char16_t", T.CHAR32: "char32_t", T.HALF: "half",
}

# Type kinds that are names for something else and carry no meaning of their own here.
_SUGAR = {T.ELABORATED}

_TAG_KIND_WORD = {K.STRUCT_DECL: "struct", K.UNION_DECL: "union", K.ENUM_DECL: "enum"}


def _is_unnamed(cursor) -> bool:
    # libclang 14 spells an unnamed tag as "" ; newer ones as "struct (unnamed at f.h:3:9)".
    return cursor.spelling == "" or "(unnamed" in cursor.spelling or "(anonymous" in cursor.spelling


def _display_path(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _location(cursor_or_location) -> Optional[Location]:
    location = getattr(cursor_or_location, "location", cursor_or_location)
    if location is None or location.file is None:
        return None
    return Location(_display_path(location.file.name), location.line, location.column)


def _doc(raw: Optional[str]) -> Optional[str]:
    """A C comment without its markers ('/*', ' * ', '*/', '//', '<'), None when empty."""
    if not raw:
        return None
    text = raw.strip()
    if text.startswith("/*"):
        text = re.sub(r"^/\*[*!]?<?", "", text)
        text = re.sub(r"\*/$", "", text)
        lines = [re.sub(r"^\s*\* ?", "", line) if index else line for index, line in enumerate(text.split("\n"))]
    else:
        lines = [re.sub(r"^\s*//[/!]?<? ?", "", line) for line in text.split("\n")]
    lines = [line.rstrip() for line in lines]
    # The first line follows the opening marker directly; later lines keep their indentation.
    if lines:
        lines[0] = lines[0].strip()
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) or None


def _round_up(value: int, alignment: int) -> int:
    return (value + alignment - 1) // alignment * alignment


class _Parser:
    def __init__(self, scope_dirs: list[str], ignore_macros: set[str]) -> None:
        self.scope_dirs = [os.path.realpath(d) for d in scope_dirs]
        self.ignore_macros = ignore_macros
        self.errors = ErrorList()
        self.sources: dict[str, str] = {}

    # ---- scope and order --------------------------------------------------------------------

    def in_scope(self, path: str) -> bool:
        real = os.path.realpath(path)
        return any(real == d or real.startswith(d + os.sep) for d in self.scope_dirs)

    def ordered_cursors(self, tu, main_header: str) -> list:
        """Top-level cursors from files in scope, in header order then declaration order.

        libclang lists preprocessing cursors (macros) before declarations, so the order is
        rebuilt from the inclusion order of the files and the offset inside each file."""
        file_rank = {os.path.realpath(main_header): 0}
        for inclusion in tu.get_includes():
            file_rank.setdefault(os.path.realpath(inclusion.include.name), len(file_rank))
        keyed = []
        for position, cursor in enumerate(tu.cursor.get_children()):
            file = cursor.location.file
            if file is None or not self.in_scope(file.name):
                continue
            rank = file_rank.get(os.path.realpath(file.name), len(file_rank))
            keyed.append(((rank, cursor.location.offset, position), cursor))
        keyed.sort(key=lambda item: item[0])
        return [cursor for _, cursor in keyed]

    # ---- types ------------------------------------------------------------------------------

    def ctype(self, t, where: Optional[Location]) -> CType:
        """Converts a libclang type; raises BindgenError for shapes the model cannot hold."""
        kind = t.kind
        if kind in _SUGAR:
            return self.ctype(t.get_named_type(), where)
        if kind == T.TYPEDEF:
            declaration = t.get_declaration()
            return Typedef(declaration.spelling, self.ctype(declaration.underlying_typedef_type, where))
        if kind == T.POINTER:
            pointee = t.get_pointee()
            if pointee.get_canonical().kind in (T.FUNCTIONPROTO, T.FUNCTIONNOPROTO):
                raise BindgenError(where, f"function pointer type '{t.spelling}' cannot be mapped "
                                          "(callbacks are not part of the blittable P/Invoke surface)")
            return Pointer(self.ctype(pointee, where))
        if kind == T.CONSTANTARRAY:
            return Array(self.ctype(t.element_type, where), t.element_count)
        if kind in (T.INCOMPLETEARRAY, T.VARIABLEARRAY, T.DEPENDENTSIZEDARRAY):
            raise BindgenError(where, f"array type '{t.spelling}' has no fixed size and cannot be mapped")
        if kind in (T.RECORD, T.ENUM):
            declaration = t.get_declaration()
            if declaration.kind == K.UNION_DECL:
                raise BindgenError(where, f"union type '{t.spelling}' cannot be mapped")
            if _is_unnamed(declaration):
                raise BindgenError(where, f"unnamed {_TAG_KIND_WORD[declaration.kind]} type '{t.spelling}' "
                                          "cannot be mapped; give it a tag name")
            return (RecordRef if kind == T.RECORD else EnumRef)(declaration.spelling)
        if kind in (T.FUNCTIONPROTO, T.FUNCTIONNOPROTO):
            raise BindgenError(where, f"function type '{t.spelling}' cannot be mapped")
        if kind in _BUILTIN_NAMES:
            return Builtin(_BUILTIN_NAMES[kind])
        raise BindgenError(where, f"type '{t.spelling}' ({kind.spelling}) cannot be mapped")

    def use(self, t, where: Optional[Location]) -> TypeUse:
        return TypeUse(self.ctype(t, where), t.spelling)

    # ---- declarations -----------------------------------------------------------------------

    def enum(self, cursor) -> Optional[Enum]:
        where = _location(cursor)
        if _is_unnamed(cursor):
            raise BindgenError(where, "unnamed enum cannot be mapped; give it a tag name")
        if not cursor.is_definition():
            raise BindgenError(where, f"enum {cursor.spelling} is declared but never defined")
        if cursor.enum_type.get_canonical().get_size() != 4:
            raise BindgenError(where, f"enum {cursor.spelling} is not 4 bytes wide; C# enums here are int")
        constants = []
        for child in cursor.get_children():
            if child.kind != K.ENUM_CONSTANT_DECL:
                continue
            if not -2**31 <= child.enum_value < 2**31:
                raise BindgenError(_location(child), f"{child.spelling} = {child.enum_value} does not fit "
                                                     "the int underlying type of the C# enum")
            constants.append(EnumConstant(child.spelling, child.enum_value, _location(child), _doc(child.raw_comment)))
        return Enum(cursor.spelling, tuple(constants), where, _doc(cursor.raw_comment))

    def struct(self, cursor) -> Struct:
        where = _location(cursor)
        if _is_unnamed(cursor):
            raise BindgenError(where, "unnamed struct cannot be mapped; give it a tag name")
        name = cursor.spelling
        fields: list[Field] = []
        natural_end, max_alignment = 0, 1
        for child in cursor.get_children():
            child_where = _location(child)
            if child.kind in _TAG_KIND_WORD:
                raise BindgenError(child_where, f"nested or anonymous {_TAG_KIND_WORD[child.kind]} inside "
                                                f"struct {name} cannot be mapped; declare it at file scope")
            if child.kind != K.FIELD_DECL:
                # Attributes (packed, aligned...) show up here; their effect is caught by the
                # layout check below, other children have no bearing on the bindings.
                continue
            if child.is_bitfield():
                raise BindgenError(child_where, f"bitfield {name}.{child.spelling} cannot be mapped")
            use = self.use(child.type, child_where)
            offset_bits = cursor.type.get_offset(child.spelling)
            size, alignment = child.type.get_size(), child.type.get_align()
            if offset_bits < 0 or size <= 0 or alignment <= 0:
                raise BindgenError(child_where, f"libclang cannot lay out field {name}.{child.spelling}")
            offset = offset_bits // 8
            # C# sequential layout puts each field at the next multiple of its alignment; any
            # other offset means packed/aligned attributes that the C# struct would not honour.
            if offset != _round_up(natural_end, alignment):
                raise BindgenError(child_where, f"field {name}.{child.spelling} is at offset {offset}, not at "
                                                f"its natural offset {_round_up(natural_end, alignment)} "
                                                "(packed or aligned attribute?); C# sequential layout cannot reproduce it")
            natural_end = offset + size
            max_alignment = max(max_alignment, alignment)
            fields.append(Field(child.spelling, use, offset, child_where, _doc(child.raw_comment)))
        if not fields:
            raise BindgenError(where, f"struct {name} has no fields (C and C# disagree on its size)")
        size, alignment = cursor.type.get_size(), cursor.type.get_align()
        if alignment != max_alignment or size != _round_up(natural_end, max_alignment):
            raise BindgenError(where, f"struct {name} has size {size} and alignment {alignment}, not the natural "
                                      f"{_round_up(natural_end, max_alignment)} and {max_alignment} "
                                      "(packed or aligned attribute?); C# sequential layout cannot reproduce it")
        return Struct(name, tuple(fields), size, alignment, where, _doc(cursor.raw_comment))

    def function(self, cursor) -> Function:
        where = _location(cursor)
        name = cursor.spelling
        if cursor.is_definition():
            raise BindgenError(where, f"function {name} has a body in the header (inline?); only exported "
                                      "functions can be bound")
        if cursor.storage_class == ci.StorageClass.STATIC:
            raise BindgenError(where, f"function {name} is static and not exported; it cannot be bound")
        if cursor.type.kind == T.FUNCTIONNOPROTO:
            raise BindgenError(where, f"function {name} is declared without a prototype; write {name}(void)")
        if cursor.type.is_function_variadic():
            raise BindgenError(where, f"variadic function {name} cannot be mapped")
        result = self.use(cursor.result_type, where)
        parameters = []
        for index, argument in enumerate(cursor.get_arguments()):
            argument_where = _location(argument) or where
            # Unnamed parameters get ClangSharp's placeholder names.
            parameters.append(Parameter(argument.spelling or f"param{index}",
                                        self.use(argument.type, argument_where), argument_where))
        return Function(name, result, tuple(parameters), where, _doc(cursor.raw_comment))

    def macro(self, cursor) -> Optional[IntegerMacro]:
        tokens = list(cursor.get_tokens())
        if not tokens:
            return None
        name_token, body = tokens[0], tokens[1:]
        name = name_token.spelling
        where = _location(cursor)
        if name in self.ignore_macros:
            return None
        # A function-like macro has its '(' directly after the name, with no space between.
        if body and body[0].spelling == "(" and body[0].extent.start.offset == name_token.extent.end.offset:
            raise BindgenError(where, f"function-like macro {name} cannot be mapped "
                                      f"(pass --ignore-macro {name} if it needs no binding)")
        if not body:
            return None  # include guards and flag macros: nothing to bind
        text = _join_tokens(body)
        literal = _integer_literal([token.spelling for token in body])
        if literal is None:
            raise BindgenError(where, f"macro {name} ({text}) is not a plain integer constant and cannot be "
                                      f"mapped (pass --ignore-macro {name} if it needs no binding)")
        value, c_type, is_hex = literal
        return IntegerMacro(name, value, text, c_type, is_hex, where, self.macro_doc(cursor))

    def macro_doc(self, cursor) -> Optional[str]:
        """libclang attaches no comments to macros: take a comment at the end of the #define
        line, else a block comment that ends on the line just above it."""
        path = cursor.location.file.name
        if path not in self.sources:
            with open(path, encoding="utf-8", errors="replace") as file:
                self.sources[path] = file.read()
        source = self.sources[path]
        end = cursor.extent.end.offset
        rest_of_line = source[end:source.find("\n", end) if "\n" in source[end:] else len(source)]
        trailing = re.search(r"(/\*.*?\*/|//.*)", rest_of_line)
        if trailing:
            return _doc(trailing.group(1))
        line_start = source.rfind("\n", 0, cursor.extent.start.offset) + 1
        above = source[:line_start]
        stripped = above.rstrip()
        if not stripped.endswith("*/") or above[len(stripped):].count("\n") > 1:
            return None
        return _doc(stripped[stripped.rfind("/*"):])

    def typedef(self, cursor) -> None:
        """Typedefs emit nothing (uses are resolved where they occur) but must be mappable."""
        underlying = cursor.underlying_typedef_type
        if underlying.get_declaration().kind in _TAG_KIND_WORD:
            return  # `typedef struct x {...} x;`: the tag's own declaration reports any problem
        self.ctype(underlying, _location(cursor))

    # ---- driver -----------------------------------------------------------------------------

    def run(self, tu, main_header: str) -> list:
        declarations: list = []
        seen: set[tuple[str, str]] = set()

        def add(kind: str, declaration) -> None:
            # C allows repeated declarations of one entity; bind it once, where it first appears.
            if declaration is not None and (kind, declaration.name) not in seen:
                seen.add((kind, declaration.name))
                declarations.append(declaration)

        for cursor in self.ordered_cursors(tu, main_header):
            kind = cursor.kind
            try:
                if kind == K.MACRO_DEFINITION:
                    add("macro", self.macro(cursor))
                elif kind in (K.MACRO_INSTANTIATION, K.INCLUSION_DIRECTIVE, K.STATIC_ASSERT):
                    continue
                elif kind == K.ENUM_DECL:
                    add("tag", self.enum(cursor))
                elif kind == K.STRUCT_DECL:
                    if cursor.is_definition():
                        add("tag", self.struct(cursor))
                    elif cursor.get_definition() is None:
                        add("tag", OpaqueStruct(cursor.spelling, _location(cursor), _doc(cursor.raw_comment)))
                elif kind == K.UNION_DECL:
                    raise BindgenError(_location(cursor), f"union {cursor.spelling or '(unnamed)'} cannot be mapped")
                elif kind == K.TYPEDEF_DECL:
                    self.typedef(cursor)
                elif kind == K.FUNCTION_DECL:
                    add("function", self.function(cursor))
                elif kind == K.VAR_DECL:
                    raise BindgenError(_location(cursor), f"global variable {cursor.spelling} cannot be bound "
                                                          "by P/Invoke; expose a function instead")
                else:
                    raise BindgenError(_location(cursor), f"unsupported declaration {cursor.spelling!r} "
                                                          f"({kind.name})")
            except BindgenError as error:
                self.errors.extend([error])
        return declarations


def _join_tokens(tokens) -> str:
    """Source text of tokens, with one space wherever the source had any whitespace."""
    parts: list[str] = []
    previous_end = None
    for token in tokens:
        if previous_end is not None and token.extent.start.offset > previous_end:
            parts.append(" ")
        parts.append(token.spelling)
        previous_end = token.extent.end.offset
    return "".join(parts)


_LITERAL = re.compile(r"^(?P<digits>0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(?P<suffix>[uUlL]*)$")
_SUFFIXES = {"": "", "u": "u", "l": "l", "ll": "ll", "ul": "ul", "lu": "ul", "ull": "ull", "llu": "ull"}
# C11 6.4.4.1: the first type of the list that can hold the value (LP64: long is 64-bit).
_LITERAL_TYPES = {
    ("", False): ["int", "long", "long long"],
    ("", True): ["int", "unsigned int", "long", "unsigned long", "long long", "unsigned long long"],
    ("u", False): ["unsigned int", "unsigned long", "unsigned long long"],
    ("l", False): ["long", "long long"],
    ("l", True): ["long", "unsigned long", "long long", "unsigned long long"],
    ("ul", False): ["unsigned long", "unsigned long long"],
    ("ll", False): ["long long"],
    ("ll", True): ["long long", "unsigned long long"],
    ("ull", False): ["unsigned long long"],
}
_TYPE_RANGES = {
    "int": (-2**31, 2**31 - 1), "unsigned int": (0, 2**32 - 1),
    "long": (-2**63, 2**63 - 1), "unsigned long": (0, 2**64 - 1),
    "long long": (-2**63, 2**63 - 1), "unsigned long long": (0, 2**64 - 1),
}


def _integer_literal(spellings: list[str]) -> Optional[tuple[int, str, bool]]:
    """Value, C type and hex-ness of `[(]* [-|+] [(]* literal [)]*`, or None for anything else."""
    tokens = list(spellings)
    while len(tokens) >= 2 and tokens[0] == "(" and tokens[-1] == ")":
        tokens = tokens[1:-1]
    sign = 1
    if tokens and tokens[0] in ("-", "+"):
        sign = -1 if tokens[0] == "-" else 1
        tokens = tokens[1:]
        while len(tokens) >= 2 and tokens[0] == "(" and tokens[-1] == ")":
            tokens = tokens[1:-1]
    if len(tokens) != 1:
        return None
    match = _LITERAL.match(tokens[0])
    if match is None:
        return None
    suffix = _SUFFIXES.get(match["suffix"].lower())
    if suffix is None:
        return None
    digits = match["digits"]
    is_hex = digits[:2].lower() == "0x"
    magnitude = int(digits, 16) if is_hex else int(digits, 8) if digits.startswith("0") else int(digits)
    octal_or_hex = is_hex or (digits.startswith("0") and digits != "0")
    candidates = _LITERAL_TYPES.get((suffix, octal_or_hex)) or _LITERAL_TYPES[(suffix, False)]
    c_type = next((t for t in candidates if magnitude <= _TYPE_RANGES[t][1]), None)
    if c_type is None:
        return None
    value = sign * magnitude
    low, high = _TYPE_RANGES[c_type]
    if not low <= value <= high:
        return None  # e.g. -1u: C wraps it around, which a C# constant should not hide
    return value, c_type, is_hex


def parse(header: str, include_dirs: Iterable[str], scope_dirs: list[str], *, target: str = DEFAULT_TARGET,
          ignore_macros: Iterable[str] = ()) -> tuple[Optional[Api], list[BindgenError]]:
    """Parses `header` as C11 and returns the model of everything declared under scope_dirs."""
    include_dirs = list(include_dirs)
    # -fparse-all-comments: attach plain /* */ comments too (not only doc comments), so the
    # C documentation carries over into the C# XML docs.
    args = ["-x", "c", "-std=c11", f"--target={target}", "-fparse-all-comments"] + [f"-I{d}" for d in include_dirs]
    index = ci.Index.create()
    try:
        tu = index.parse(header, args=args, options=ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD)
    except ci.TranslationUnitLoadError as error:
        return None, [BindgenError(None, f"libclang could not parse {header}: {error}")]
    parser = _Parser(scope_dirs, set(ignore_macros))
    for diagnostic in tu.diagnostics:
        if diagnostic.severity >= ci.Diagnostic.Error:
            parser.errors.add(_location(diagnostic.location), f"clang: {diagnostic.spelling}")
    if parser.errors:
        return None, parser.errors.errors  # a broken translation unit gives no trustworthy model
    declarations = parser.run(tu, header)
    if parser.errors:
        return None, parser.errors.errors
    include = _include_spelling(header, include_dirs)
    return Api(tuple(declarations), include, target), []


def _include_spelling(header: str, include_dirs: list[str]) -> str:
    """How a C file that uses the same -I flags includes `header` ("snn/snn.h")."""
    real = os.path.realpath(header)
    for directory in include_dirs:
        base = os.path.realpath(directory)
        if real.startswith(base + os.sep):
            return os.path.relpath(real, base).replace(os.sep, "/")
    return os.path.basename(header)
