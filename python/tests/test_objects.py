"""Proxies: handles and their release, identity, equality, str/repr, len, iteration, indexers,
context managers and disposal, inheritance, interfaces, hidden runtime types, modules."""

import gc
import importlib

import pytest


def test_proxies_release_their_handle_when_collected(fx, handles):
    base = handles()["objects"]
    calculators = [fx.Calculator(str(i)) for i in range(20)]
    assert handles()["objects"] == base + 20
    del calculators
    assert handles()["objects"] == base


def test_the_same_object_comes_back_as_the_same_dotnet_object(fx):
    widget = fx.inner.Widget("a")
    c = fx.Calculator()
    assert fx.Values.same(c, c)
    assert not fx.Values.same(c, fx.Calculator())
    parts1, parts2 = widget.parts, widget.parts
    assert fx.Values.same(parts1[0], parts2[0])


def test_str_repr_eq_hash(fx):
    c = fx.Calculator("n")
    assert str(c) == repr(c) == "Calculator(n)"
    v, w = fx.Vec2(1.0, 2.0), fx.Vec2(1.0, 2.0)
    assert v == w and v is not w
    assert hash(v) == hash(w)
    assert v != fx.Vec2(2.0, 1.0)
    assert str(v) == "(1, 2)"
    assert {v: 1}[w] == 1
    assert c != "not a calculator"
    assert (c == {"unmarshallable": 1}) is False


def test_structs_default_constructor_and_setters(fx):
    v = fx.Vec2()
    assert (v.x, v.y) == (0.0, 0.0)
    v.x = 3.0
    v.y = 4.0
    assert v.length == 5.0
    assert fx.Vec2.op_addition(v, fx.Vec2(1.0, 1.0)) == fx.Vec2(4.0, 5.0)


def test_len_iteration_and_indexers(fx):
    bag = fx.Bag(1, 2, 3)
    assert len(bag) == 3
    assert list(bag) == [1, 2, 3]
    assert [x for x in bag if x > 1] == [2, 3]
    assert bag[0] == 1
    bag[1] = 20
    assert bag[1] == 20
    assert bag["last"] == 3
    assert list(bag.doubled()) == [2, 40, 6]
    bag.add(4)
    assert len(bag) == 4 and 4 in list(bag)


def test_multi_key_indexer(fx):
    bag = fx.Bag(*range(30))
    assert bag[2, 3] == 23


def test_indexer_errors(fx):
    bag = fx.Bag(1)
    with pytest.raises(KeyError) as info:
        bag["middle"]
    assert "no item called 'middle'" in str(info.value)
    with pytest.raises(ValueError):          # ArgumentOutOfRangeException from List<int>
        bag[5]
    with pytest.raises(TypeError, match=r"Bag.__setitem__\(str, int\): argument 'index': cannot convert str to int"):
        bag["first"] = 2


def test_iterators_release_their_enumerator(fx, handles):
    bag = fx.Bag(1, 2, 3)
    base = handles()["objects"]
    it = iter(bag)
    assert next(it) == 1
    assert handles()["objects"] == base + 1
    del it
    assert handles()["objects"] == base
    assert list(bag) == [1, 2, 3]
    assert handles()["objects"] == base


def test_context_manager_disposes_and_later_calls_raise(fx):
    open_before = fx.Bag.open
    with fx.Bag(1, 2) as bag:
        assert fx.Bag.open == open_before + 1
        assert len(bag) == 2
    assert bag.is_disposed
    assert fx.Bag.open == open_before
    with pytest.raises(fx_clr().ObjectDisposedException) as info:
        len(bag)
    assert isinstance(info.value, RuntimeError)
    assert "Cannot access a disposed object" in str(info.value)
    assert info.value.clr_type == "System.ObjectDisposedException"
    with pytest.raises(RuntimeError):
        bag.add(3)


def test_dispose_and_close_methods(fx):
    b = fx.Bag()
    b.close()
    assert b.is_disposed
    c = fx.HostBuffer.owned(2)
    c.dispose()
    with pytest.raises(fx_clr().ObjectDisposedException):
        c.sum()


def test_dotnet_close_methods_are_not_shadowed_by_the_dispose_alias(fx):
    for channel in (fx.Channel(), fx.SubChannel()):
        assert channel.close() == "closed by C#" and not channel.disposed
        with channel:
            pass
        assert channel.disposed


def test_inheritance_and_overrides(fx):
    cube = fx.Cube(2.0)
    assert isinstance(cube, fx.Square) and isinstance(cube, fx.IShape)
    assert issubclass(fx.Cube, fx.Square)
    assert cube.area == 4.0 and cube.volume == 8.0
    assert cube.describe() == "cube 2"
    assert fx.Square.describe(cube) == "cube 2"      # virtual dispatch, as in C#


def test_interfaces_and_hidden_runtime_types(fx):
    circle = fx.Shapes.circle(1.0)
    assert isinstance(circle, fx.IShape)
    assert type(circle).__name__ == "Circle" and not hasattr(fx, "Circle")
    assert abs(circle.area - 3.141592653589793) < 1e-12
    assert circle.describe() == "circle 1"
    square = fx.Shapes.square(2.0)
    assert type(square) is fx.Square
    assert fx.Shapes.total_area([circle, square, fx.Cube(1.0)]) == pytest.approx(3.141592653589793 + 5)


def test_public_generic_types_met_at_run_time(fx):
    numbers = fx.Arrays.list()
    assert type(numbers).__name__ == "List[Int32]"
    assert len(numbers) == 3 and list(numbers) == [1, 2, 3] and numbers[2] == 3
    numbers.add(4)
    assert numbers.count == 4
    assert fx_clr().__dict__.get("List[Int32]") is type(numbers)


def test_submodules_nested_types_and_imports(fx):
    inner = importlib.import_module("snn_fixture.inner")
    assert inner is fx.inner
    from snn_fixture.inner import Widget
    w = Widget("a", "b")
    assert [p.label for p in w.parts] == ["a", "b"]
    assert Widget.Part("x").label == "x"
    assert Widget.Part.__qualname__ == "Widget.Part"
    assert Widget.Part.Kind.LARGE == 1
    assert Widget.__module__ == "snn_fixture.inner"


def test_classes_are_distinct_per_type_and_cached(fx):
    assert fx.Calculator() .__class__ is fx.Calculator
    assert type(fx.Arrays.calculators()[0]) is fx.Calculator


def test_released_handles_survive_collection_of_dotnet_objects(fx):
    c = fx.Calculator("kept")
    for _ in range(3):
        [fx.Calculator() for _ in range(1000)]
        gc.collect()
    assert c.name == "kept"


def test_proxies_cannot_be_copied_or_pickled(fx):
    import copy
    import pickle
    c = fx.Calculator()
    for attempt in (copy.copy, copy.deepcopy, pickle.dumps):
        with pytest.raises(TypeError, match="handle to a .NET object"):
            attempt(c)


def test_exceptions_copy_and_pickle_without_their_handle(fx, handles):
    import copy
    import pickle
    try:
        fx.Thrower.throw("FixtureArgument", "bad ✓")
    except ValueError as e:
        error = e
    base = handles()["objects"]
    for clone in (copy.copy(error), pickle.loads(pickle.dumps(error))):
        assert type(clone) is fx.FixtureArgumentException
        assert str(clone) == str(error) and clone.clr_type == error.clr_type
        assert clone.__dict__.get("_handle", 0) == 0
        del clone
    assert handles()["objects"] == base


def test_many_threads_calling_and_collecting_at_once(fx, handles):
    import threading
    import numpy as np
    base = handles()
    errors = []

    def work(seed):
        try:
            for i in range(300):
                c = fx.Calculator(str(seed))
                assert c.add(i, seed) == f"int:{i + seed}"
                assert fx.Arrays.floats(8)[7] == 7.0
                assert fx.Arrays.span_sum(np.ones(4, dtype=np.float32)) == 4.0
                assert list(fx.Bag(i, seed)) == [i, seed]
                if i % 50 == 0:
                    gc.collect()
        except Exception as e:  # reported below: an assert in a thread would be lost
            errors.append(e)
    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert handles() == base


def fx_clr():
    import snn.clr
    return snn.clr
