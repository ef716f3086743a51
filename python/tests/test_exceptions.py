"""C# exceptions become Python exceptions: classes named like the .NET type, rooted in the
matching built-in, carrying the C# message, type name, stack trace and the exception's members."""

import pytest

import snn.clr

CASES = [
    # Thrower kind, class name, module, built-in it must be
    ("Argument", "ArgumentException", "snn.clr", ValueError),
    ("ArgumentNull", "ArgumentNullException", "snn.clr", ValueError),
    ("ArgumentOutOfRange", "ArgumentOutOfRangeException", "snn.clr", ValueError),
    ("InvalidOperation", "InvalidOperationException", "snn.clr", RuntimeError),
    ("ObjectDisposed", "ObjectDisposedException", "snn.clr", RuntimeError),
    ("NotSupported", "NotSupportedException", "snn.clr", NotImplementedError),
    ("NotImplemented", "NotImplementedException", "snn.clr", NotImplementedError),
    ("KeyNotFound", "KeyNotFoundException", "snn.clr", KeyError),
    ("IndexOutOfRange", "IndexOutOfRangeException", "snn.clr", IndexError),
    ("FileNotFound", "FileNotFoundException", "snn.clr", FileNotFoundError),
    ("DirectoryNotFound", "DirectoryNotFoundException", "snn.clr", FileNotFoundError),
    ("IO", "IOException", "snn.clr", OSError),
    ("OutOfMemory", "OutOfMemoryException", "snn.clr", MemoryError),
    ("Format", "FormatException", "snn.clr", ValueError),
    ("Overflow", "OverflowException", "snn.clr", OverflowError),
    ("DivideByZero", "DivideByZeroException", "snn.clr", ZeroDivisionError),
    ("Timeout", "TimeoutException", "snn.clr", TimeoutError),
    ("UnauthorizedAccess", "UnauthorizedAccessException", "snn.clr", PermissionError),
    ("InvalidCast", "InvalidCastException", "snn.clr", TypeError),
    ("NullReference", "NullReferenceException", "snn.clr", RuntimeError),
    ("Aggregate", "AggregateException", "snn.clr", RuntimeError),
    ("Plain", "ClrException", "snn.clr", RuntimeError),
    ("Fixture", "FixtureException", "snn_fixture", RuntimeError),
    ("FixtureArgument", "FixtureArgumentException", "snn_fixture", ValueError),
    ("DeepFixture", "DeepFixtureException", "snn_fixture", ValueError),
]


@pytest.mark.parametrize("kind, name, module, builtin", CASES, ids=[c[0] for c in CASES])
def test_exception_mapping(fx, kind, name, module, builtin):
    with pytest.raises(builtin) as info:
        fx.Thrower.throw(kind, f"message of {kind} ✓")
    e = info.value
    assert type(e).__name__ == name and type(e).__module__ == module
    assert isinstance(e, snn.clr.ClrError)
    assert f"message of {kind} ✓" in str(e)
    assert e.clr_message.startswith(f"message of {kind} ✓")
    assert e.clr_type.endswith(name if name != "ClrException" else "System.Exception")
    assert "Thrower.Throw" in e.clr_stack_trace
    assert e.message == e.clr_message                    # System.Exception.Message, read from .NET


def test_builtins_of_unrelated_branches_do_not_mix(fx):
    with pytest.raises(ValueError) as info:
        fx.Thrower.throw("Argument", "m")
    assert not isinstance(info.value, RuntimeError)
    with pytest.raises(KeyError) as info:
        fx.Thrower.throw("KeyNotFound", "k")
    assert str(info.value) == "k"                        # not KeyError's quoted repr
    assert not isinstance(info.value, RuntimeError)


def test_dotnet_hierarchy_is_kept_where_builtins_agree(fx):
    clr = snn.clr
    assert issubclass(clr.ObjectDisposedException, clr.InvalidOperationException)
    assert issubclass(clr.ArgumentNullException, clr.ArgumentException)
    assert issubclass(clr.FileNotFoundException, clr.IOException)
    assert issubclass(clr.NotSupportedException, clr.SystemException)
    assert issubclass(fx.DeepFixtureException, fx.FixtureArgumentException)
    assert issubclass(fx.FixtureArgumentException, clr.ArgumentException)
    assert issubclass(fx.FixtureException, clr.ClrException)
    assert issubclass(clr.BindingException, TypeError)


def test_exception_members_read_the_dotnet_exception(fx):
    with pytest.raises(fx.FixtureException) as info:
        fx.Thrower.throw("Fixture", "boom")
    assert info.value.code == 7
    with pytest.raises(ValueError) as info:
        fx.Thrower.throw("FixtureArgument", "bad")
    assert info.value.param_name == "p"
    with pytest.raises(FileNotFoundError) as info:
        fx.Thrower.throw("FileNotFound", "gone")
    assert info.value.file_name == "missing.txt"
    with pytest.raises(RuntimeError) as info:
        fx.Thrower.throw("Aggregate", "many")
    inner = info.value.inner_exception
    assert isinstance(inner, snn.clr.InvalidOperationException) and inner.message == "inner"


def test_exceptions_constructed_from_python(fx):
    with pytest.raises(fx.FixtureException) as info:
        raise fx.FixtureException("made here", code=3)
    assert info.value.code == 3 and str(info.value) == "made here"
    error = snn.clr.ArgumentException("bad value", "x")
    assert isinstance(error, ValueError) and error.param_name == "x"
    assert "bad value" in str(error)


def test_exception_objects_returned_as_values(fx):
    e = fx.Thrower.make("not thrown")
    assert isinstance(e, snn.clr.InvalidOperationException)
    assert e.message == "not thrown"


def test_errors_never_crash_the_interpreter(fx):
    bridge = snn.clr.ClrObject._bridge
    with pytest.raises(ValueError, match="unknown member id"):
        bridge.invoke(0, 10 ** 8, 0)
    with pytest.raises(ValueError, match="unknown type id"):
        bridge.describe_type(10 ** 8)
    with pytest.raises(RuntimeError, match="released"):
        bridge.invoke(0, -1, 0)                            # ToString on no object
    c = fx.Calculator()
    handle, c._handle = c._handle, 0                     # a proxy that lost its object
    with pytest.raises(TypeError, match="needs an instance of Calculator"):
        c.add(1, 2)
    bridge.release(handle)
    bridge.release(0)
    with pytest.raises(FileNotFoundError):
        snn.clr.load("/nonexistent/Nope.dll", "Nope", "nope")
    with pytest.raises(ValueError, match="no public types in namespace Nope"):
        snn.clr.load("Snn", "Nope", "nope")
    for _ in range(200):
        with pytest.raises(TypeError):
            c.add(object(), 1)
        with pytest.raises(TypeError):
            c.add([1], {})
    assert fx.Calculator().add(1, 1) == "int:2"
