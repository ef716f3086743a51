"""Unit tests of the pieces that need no header: literals, comments, names and type mapping."""
from __future__ import annotations

import pytest

import csharp
import parse
import typemap
from errors import BindgenError
from model import Api, Array, Builtin, EnumRef, Location, OpaqueStruct, Pointer, RecordRef, Typedef, TypeUse

WHERE = Location("x.h", 1, 1)


@pytest.mark.parametrize("tokens, expected", [
    (["1"], (1, "int", False)),
    (["0x1F"], (31, "int", True)),
    (["017"], (15, "int", False)),
    (["(", "-", "5", ")"], (-5, "int", False)),
    (["4000000000u"], (4000000000, "unsigned int", False)),
    (["0xFFFFFFFF"], (4294967295, "unsigned int", True)),
    (["4294967295"], (4294967295, "long", False)),
    (["3ULL"], (3, "unsigned long long", False)),
    (["-", "(", "2", ")"], (-2, "int", False)),
])
def test_integer_literals(tokens, expected):
    assert parse._integer_literal(tokens) == expected


@pytest.mark.parametrize("tokens", [["1.5"], ['"x"'], ["-", "1u"], ["1", "+", "2"], ["'a'"], ["X"], [], ["08"]])
def test_non_integer_macros_are_rejected(tokens):
    assert parse._integer_literal(tokens) is None


@pytest.mark.parametrize("raw, expected", [
    ("/* one line */", "one line"),
    ("/** doc */", "doc"),
    ("/**< trailing */", "trailing"),
    ("/* first\n * second\n *   indented\n */", "first\nsecond\n  indented"),
    ("/// a\n/// b", "a\nb"),
    ("/* */", None),
    (None, None),
])
def test_comment_markers_are_stripped(raw, expected):
    assert parse._doc(raw) == expected


def test_xml_docs_escape_and_mark_code():
    assert csharp._doc("a < b & `x`", "unused") == ["/// <summary>a &lt; b &amp; <c>x</c></summary>"]
    assert csharp._doc(None, "C thing.") == ["/// <summary>C thing.</summary>"]


def test_keywords_are_escaped():
    assert typemap.escape("params") == "@params"
    assert typemap.escape("value") == "value"  # contextual keywords are valid identifiers


def _mapper() -> typemap.TypeMapper:
    return typemap.TypeMapper(Api((OpaqueStruct("handle", WHERE),), "x.h", parse.DEFAULT_TARGET))


INT64 = Typedef("int64_t", Typedef("__int64_t", Builtin("long")))


@pytest.mark.parametrize("use, position, csharp_type, native", [
    (TypeUse(INT64, "int64_t"), "parameter", "long", "int64_t"),
    (TypeUse(Pointer(INT64), "const int64_t *"), "parameter", "long*", "const int64_t *"),
    (TypeUse(Pointer(Pointer(RecordRef("handle"))), "handle **"), "parameter", "handle**", None),
    (TypeUse(Typedef("size_t", Builtin("unsigned long")), "size_t"), "return", "nuint", "size_t"),
    (TypeUse(Builtin("void"), "void"), "return", "void", None),
    (TypeUse(Builtin("double"), "double"), "parameter", "double", None),
])
def test_type_mapping(use, position, csharp_type, native):
    mapped = _mapper().map(use, WHERE, position)
    assert (mapped.csharp, mapped.native_type_name) == (csharp_type, native)


def test_fixed_buffers_keep_the_c_spelling():
    mapped = _mapper().map(TypeUse(Array(Builtin("char"), 128), "char[128]"), WHERE, "field")
    assert (mapped.csharp, mapped.fixed_length, mapped.native_type_name) == ("sbyte", 128, "char[128]")


@pytest.mark.parametrize("use, position, message", [
    (TypeUse(Builtin("long"), "long"), "parameter", "differs between Windows"),
    (TypeUse(Builtin("void"), "void"), "parameter", "void is only valid"),
    (TypeUse(RecordRef("handle"), "handle"), "parameter", "only be used through a pointer"),
    (TypeUse(EnumRef("elsewhere"), "elsewhere"), "parameter", "not declared"),
    (TypeUse(Array(Builtin("int"), 2), "int[2]"), "parameter", "only supported as a struct field"),
])
def test_unmappable_types_raise(use, position, message):
    with pytest.raises(BindgenError, match=message):
        _mapper().map(use, WHERE, position)
