"""Values crossing both ways: None, bool, integers (range-checked in C#), floats, strings (UTF-8),
enums, tuples, bytes, big integers, types."""

import enum

import numpy as np
import pytest


def test_integral_ranges_checked_in_csharp(fx):
    v = fx.Values
    assert v.take_byte(255) == 255
    assert v.take_sbyte(-128) == -128
    with pytest.raises(OverflowError, match=r"256 is out of range for byte \(0\.\.255\)"):
        v.take_byte(256)
    with pytest.raises(OverflowError):
        v.take_byte(-1)
    assert v.take_ulong((1 << 64) - 1) == (1 << 64) - 1
    assert v.take_long(-(1 << 63)) == -(1 << 63)
    with pytest.raises(OverflowError):
        v.take_long(1 << 63)
    with pytest.raises(OverflowError):
        v.take_ulong(1 << 64)
    assert v.max_ulong() == (1 << 64) - 1
    assert v.min_long() == -(1 << 63)


def test_numpy_scalars_are_numbers(fx):
    assert fx.Values.take_byte(np.uint8(7)) == 7
    assert fx.Values.take_long(np.int64(-3)) == -3
    assert fx.Values.half(np.float32(3.0)) == 1.5


def test_floats(fx):
    assert fx.Values.half(3) == 1.5                # int -> double
    assert fx.Values.take_float(0.5) == 0.5
    with pytest.raises(OverflowError):
        fx.Values.take_float(1e300)
    assert fx.Values.take_decimal(1.25) == 2.5
    with pytest.raises(TypeError, match="cannot convert float to long"):
        fx.Values.take_long(1.5)


def test_bool_is_not_an_int(fx):
    with pytest.raises(TypeError):
        fx.Values.take_long(True)
    assert fx.Values.describe(True) == "Boolean:True"


def test_big_integers(fx):
    assert fx.Values.big(10 ** 30) == str(10 ** 30 + 1)
    assert fx.Values.square(-(10 ** 20)) == 10 ** 40
    assert fx.Values.square(3) == 9
    with pytest.raises(OverflowError):
        fx.Values.take_long(10 ** 30)


def test_strings_utf8_both_ways(fx):
    for text in ("", "plain", "héllo wörld", "✓ 🚀 ∑", "日本語", "a\x00b"):
        assert fx.Values.echo(text) == text
    assert fx.Values.utf16_length("🚀") == 2
    assert fx.Values.take_char("ç") == str(ord("ç"))
    with pytest.raises(TypeError, match="one character"):
        fx.Values.take_char("ab")
    assert fx.Values.chars() == "abç"


def test_none_and_null(fx):
    assert fx.Values.maybe_null(False) is None
    assert fx.Values.maybe_null(True) == "given"
    assert fx.Values.describe(None) == "null"
    assert fx.Values.nullable() == "none"
    assert fx.Values.nullable(None) == "none"
    assert fx.Values.nullable(4) == "int 4"
    with pytest.raises(TypeError, match="None cannot be passed as long"):
        fx.Values.take_long(None)


def test_object_parameters_get_natural_dotnet_values(fx):
    assert fx.Values.describe(5) == "Int32:5"
    assert fx.Values.describe(1 << 40) == "Int64:1099511627776"
    assert fx.Values.describe(2.5) == "Double:2.5"
    assert fx.Values.describe("s") == "String:s"
    assert fx.Values.describe(fx.Color.BLUE) == "Color:Blue"
    assert fx.Values.describe([1, "a"]) == "Object[]:System.Object[]"


def test_enums(fx):
    Color, Access = fx.Color, fx.Access
    assert issubclass(Color, enum.IntEnum) and issubclass(Access, enum.IntFlag)
    assert [(m.name, m.value) for m in Color] == [("RED", 0), ("DARK_GREEN", 5), ("BLUE", 6)]
    assert fx.Values.take_color(Color.DARK_GREEN) is Color.DARK_GREEN
    assert fx.Values.take_color(6) is Color.BLUE         # a defined value
    with pytest.raises(TypeError, match="not a value of enum Color"):
        fx.Values.take_color(3)
    with pytest.raises(TypeError):
        fx.Values.take_color(Access.READ)                 # another enum type
    assert fx.Values.combine(Access.READ, Access.WRITE) == Access.READ | Access.WRITE
    assert fx.Values.undefined() == 99                   # not a member: the plain value
    assert "Dark green" in Color.DARK_GREEN.__doc__ or Color.__doc__


def test_tuples_both_ways(fx):
    assert fx.Tuples.pair() == (7, "seven")
    assert fx.Tuples.point == (1.5, -2.5)
    assert fx.Tuples.triple() == (1, 2, 3)
    name, (one, rest) = fx.Tuples.nested()
    assert (name, one) == ("n", 1) and rest.tolist() == [2, 3]
    assert fx.Tuples.add_pair((1, 2)) == 3
    assert fx.Tuples.add_pair([3, 4]) == 7
    with pytest.raises(TypeError, match="sequence of 2 items"):
        fx.Tuples.add_pair((1, 2, 3))


def test_bytes(fx):
    assert fx.Values.byte_sum(b"\x01\x02\xff") == 258
    assert fx.Values.byte_sum(bytearray(b"\x05")) == 5


def test_types_cross_as_classes(fx):
    assert fx.Values.type_name(fx.Calculator) == "Snn.Bridge.Fixture.Calculator"
    assert fx.Values.calculator_type() is fx.Calculator


def test_unsupported_python_values_raise_typeerror(fx):
    with pytest.raises(TypeError, match="cannot pass a set"):  # dicts cross (test_arrays.py); sets do not
        fx.Values.describe({1, 2})
    with pytest.raises(TypeError, match="cannot pass a object"):
        fx.Values.describe(object())
