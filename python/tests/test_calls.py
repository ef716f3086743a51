"""Binding calls: constructors, overloads, keyword arguments, defaults, params, out/ref, generics,
static members, properties and fields (against the fixture assembly)."""

import inspect

import pytest


def test_constructor_overloads_and_keywords(fx):
    assert fx.Calculator().name == "calc"
    c = fx.Calculator("x", precision=3)
    assert (c.name, c.precision) == ("x", 3)
    assert fx.Calculator(name="y").precision == 2


def test_overloads_pick_by_argument_type(fx):
    c = fx.Calculator()
    assert c.add(1, 2) == "int:3"
    assert c.add(1.5, 2) == "double:3.5"
    assert c.add("a", "b") == "string:ab"
    assert c.add(a=2, b=3) == "int:5"


def test_overloads_prefer_the_narrowest_fit(fx):
    assert fx.Calculator.width(5) == "long"        # int fits both; long ranks above byte
    assert fx.Calculator.width(1 << 40) == "long"


def test_defaults_and_keywords_in_any_order(fx):
    d = fx.Calculator.defaults
    assert d(2) == "r:5:Blue:none"
    assert d(2, negate=True) == "r:-5:Blue:none"
    assert d(x=2, label="q", factor=1.0) == "q:2:Blue:none"
    assert d(2, 1.0, True, "z", fx.Color.DARK_GREEN, fx.Calculator("o")) == "z:-2:DarkGreen:o"
    assert d(2, other=None) == "r:5:Blue:none"


def test_python_keywords_and_camel_case_parameter_names(fx):
    assert fx.Calculator.keywords(from_=1, lambda_value=2, max_item_count=3) == "1/2/3"


def test_params_arrays_expanded_or_as_one_sequence(fx):
    assert fx.Calculator.sum() == 0
    assert fx.Calculator.sum(1, 2, 3) == 6
    assert fx.Calculator.sum([4, 5]) == 9
    assert fx.Calculator.sum(values=(1, 1)) == 2
    assert fx.Calculator.join("-", "a", "b", "c") == "a-b-c"
    assert fx.Calculator.join("-") == ""


def test_out_and_ref_parameters_come_back_in_a_tuple(fx):
    assert fx.Calculator.try_parse("12") == (True, 12)
    assert fx.Calculator.try_parse("x") == (False, 0)
    assert fx.Calculator.twice(4) == 8
    assert fx.Calculator.split(3.25) == (3, 3, 0.25)


def test_generic_method_type_argument_inferred(fx):
    assert fx.Calculator.type_of(3) == "Int64"
    assert fx.Calculator.type_of("s") == "String"
    assert fx.Calculator.type_of(fx.Calculator()) == "Calculator"


def test_members_python_cannot_call_are_reported_not_hidden(fx):
    skipped = {(s["type"], s["member"]): s["reason"] for s in fx.__clr_skipped__}
    assert "cannot be inferred" in skipped[("Snn.Bridge.Fixture.Calculator", "static T Make<T>()")]
    assert "events" in skipped[("Snn.Bridge.Fixture.Calculator", "Changed")]
    assert not hasattr(fx.Calculator, "make")


def test_static_properties_and_fields(fx):
    assert fx.Calculator.answer == 42
    assert fx.Calculator.greeting == "héllo wörld ✓ 🚀"
    before = fx.Calculator.created
    fx.Calculator()
    assert fx.Calculator.created == before + 1
    fx.Calculator.scale = 3.0
    assert fx.Calculator.scale == 3.0
    fx.Calculator().scale = 4.0           # through an instance too
    assert fx.Calculator.scale == 4.0
    with pytest.raises(AttributeError):
        fx.Calculator.created = 5          # private setter
    with pytest.raises(AttributeError):
        fx.Calculator.answer = 1           # const


def test_instance_properties_and_fields(fx):
    c = fx.Calculator("a")
    c.name = "b"
    assert c.name == "b"
    c.counter = 5
    c.counter += 1
    assert c.counter == 6
    with pytest.raises(AttributeError):
        c.precision = 1
    c.secret = "s"
    assert c.last_secret == "s"
    with pytest.raises(AttributeError):
        c.secret


def test_property_setter_converts_in_csharp(fx):
    c = fx.Calculator()
    with pytest.raises(TypeError, match="cannot convert int to string"):
        c.name = 5
    with pytest.raises(OverflowError):
        c.counter = 1 << 40


def test_unknown_attributes_are_errors_not_silently_stored(fx):
    c = fx.Calculator()
    with pytest.raises(AttributeError):
        c.nmae = "typo"


def test_binding_failure_lists_candidates(fx):
    c = fx.Calculator()
    with pytest.raises(TypeError) as info:
        c.add(1, "x")
    text = str(info.value)
    assert "no overload of Calculator.add matches" in text
    assert "add(a: int, b: int)" in text and "add(a: string, b: string)" in text
    assert type(info.value).__name__ == "BindingException"
    assert info.value.clr_type == "Snn.Bridge.BindingException"


def test_wrong_keyword_missing_and_extra_arguments(fx):
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        fx.Calculator.defaults(1, nope=2)
    with pytest.raises(TypeError, match="missing required argument 'x'"):
        fx.Calculator.defaults()
    with pytest.raises(TypeError, match="at most 6 positional arguments"):
        fx.Calculator.defaults(1, 2, False, "a", fx.Color.RED, None, 7)
    with pytest.raises(TypeError, match="multiple values for argument 'x'"):
        fx.Calculator.defaults(1, x=2)


def test_cannot_instantiate_abstract_static_or_interface(fx):
    with pytest.raises(TypeError, match="abstract"):
        fx.AbstractThing()
    with pytest.raises(TypeError, match="static class"):
        fx.Values()
    with pytest.raises(TypeError, match="interface"):
        fx.IShape()


def test_instance_method_checks_its_target(fx):
    with pytest.raises(TypeError, match="needs an instance of Calculator, got Bag"):
        fx.Calculator.add(fx.Bag(), 1, 2)


def test_signatures_and_docstrings(fx):
    sig = inspect.signature(fx.Calculator.defaults)
    assert str(sig) == "(x, factor=2.5, negate=False, label='r', color=Color.BLUE, other=None)"
    assert str(inspect.signature(fx.Calculator.sum)) == "(*values)"
    assert str(inspect.signature(fx.Bag)) == "(*items)"
    assert "Defaults of several kinds." in fx.Calculator.defaults.__doc__
    assert "static string Defaults(double x, double factor = 2.5" in fx.Calculator.defaults.__doc__
    assert "add(a: int, b: int) -> string" in fx.Calculator.add.__doc__
    assert fx.Calculator.__doc__.startswith("Overloads, defaults, params")
    assert "Name (get and set)." in fx.Calculator.name.__doc__
    assert fx.Calculator.add.__clr_overloads__ == (
        "string Add(int a, int b)", "string Add(double a, double b)", "string Add(string a, string b)")


def test_dir_lists_members(fx):
    names = dir(fx.Calculator())
    for name in ("add", "name", "precision", "counter", "defaults", "sum", "scale", "to_string"):
        assert name in names
    assert {"Calculator", "Color", "inner"} <= set(dir(fx))


def test_calls_release_the_gil(fx):
    import threading
    import time
    threads = [threading.Thread(target=fx.Values.sleep, args=(400,)) for _ in range(4)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert time.perf_counter() - start < 1.2   # 4 x 400 ms run concurrently, not 1.6 s in a row
