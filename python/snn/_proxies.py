"""Python classes and modules built from the bridge's description of .NET types.

No class here is written for a particular .NET type: every proxy is made by :class:`Builder` from
the JSON the bridge produces by reflection. Member functions only forward to ``Bridge.invoke``
with the member id the description gives; the bridge binds and converts.
"""

from __future__ import annotations

import builtins
import enum
import importlib
import inspect
import sys
import threading
import types
from typing import Any

import numpy

from . import _interop
from ._interop import DISPOSE, EQUALS, HASH, ITER, LEN, NEXT, OP_GET, OP_SET, TO_STRING


class ClrType(type):
    """Metaclass of every proxy class: lets ``Class.static_property = value`` reach the .NET setter."""
    __module__ = "snn.clr"

    def __setattr__(cls, name, value):
        for klass in cls.__mro__:
            attribute = klass.__dict__.get(name)
            if isinstance(attribute, StaticProperty):
                attribute.__set__(None, value)
                return
        super().__setattr__(name, value)


class ClrObject(metaclass=ClrType):
    """Base of every proxy of a .NET object. The proxy holds a GCHandle, freed when it is collected."""
    __module__ = "snn.clr"
    __slots__ = ("_handle", "__weakref__")
    _clr_type_id = 0
    _bridge: _interop.Bridge | None = None

    def __init__(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} cannot be created from Python")

    def __del__(self):
        handle = getattr(self, "_handle", 0)
        if handle:
            self._handle = 0
            bridge = ClrObject._bridge
            if bridge is not None:
                bridge.release(handle)

    def __str__(self):
        return ClrObject._bridge.invoke(self._handle, TO_STRING, OP_GET)

    __repr__ = __str__

    def __eq__(self, other):
        if self is other:
            return True
        try:
            return ClrObject._bridge.invoke(self._handle, EQUALS, OP_GET, (other,))
        except TypeError:
            return NotImplemented

    def __hash__(self):
        return ClrObject._bridge.invoke(self._handle, HASH, OP_GET)

    def __reduce_ex__(self, protocol):
        # A copy would share the GCHandle and free it twice; a pickle would carry it to another process.
        raise TypeError(f"cannot copy or pickle {type(self).__name__}: it is a handle to a .NET object")


class ClrError(Exception):
    """Mixin base of every exception raised for a .NET exception (``except snn.clr.ClrError`` catches them all).

    Attributes: ``clr_type`` (full .NET type name), ``clr_message``, ``clr_stack_trace``; the
    members of System.Exception and of the exception's own type (``message``, ``inner_exception``,
    ``param_name``, ``code``, ...) read the .NET exception object."""
    __module__ = "snn.clr"
    _clr_type_id = 0
    _handle = 0
    clr_type: str | None = None
    clr_message: str | None = None
    clr_stack_trace: str | None = None

    def __del__(self):
        handle = self.__dict__.get("_handle", 0)
        if handle:
            self._handle = 0
            bridge = ClrObject._bridge
            if bridge is not None:
                bridge.release(handle)

    def __reduce__(self):
        # Copies and pickles keep the type, message and stack trace, never the .NET object's handle.
        return (_restore_error, (type(self), self.args, self.clr_type, self.clr_message, self.clr_stack_trace))

    def __str__(self):
        if self.clr_message is None:
            return super().__str__()
        if self.clr_type and self.clr_type.rsplit(".", 1)[-1] != type(self).__name__:
            return f"{self.clr_type}: {self.clr_message}"
        return self.clr_message


def _restore_error(cls, args, clr_type, clr_message, clr_stack_trace):
    error = cls.__new__(cls, *args)
    error.args = args
    error.clr_type, error.clr_message, error.clr_stack_trace = clr_type, clr_message, clr_stack_trace
    return error


class StaticProperty:
    """A static .NET property or field, read and written through the class or an instance."""

    def __init__(self, name: str, fget, fset, doc: str | None):
        self.__name__ = name
        self.fget, self.fset, self.__doc__ = fget, fset, doc

    def __get__(self, obj, cls=None):
        if self.fget is None:
            raise AttributeError(f"{self.__name__} cannot be read")
        return self.fget()

    def __set__(self, obj, value):
        if self.fset is None:
            raise AttributeError(f"{self.__name__} is read-only")
        self.fset(value)


class _Literal:
    """A default value shown in a signature exactly as the bridge wrote it."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self):
        return self.text


class _Iterator:
    """Python iterator over a .NET enumerator handle."""
    __slots__ = ("_handle", "__weakref__")

    def __init__(self, handle: int):
        self._handle = handle

    def __iter__(self):
        return self

    def __next__(self):
        if not self._handle:
            raise StopIteration
        value = ClrObject._bridge.invoke(self._handle, NEXT, OP_GET)
        if _interop.is_stop(value):
            self.__del__()
            raise StopIteration
        return value

    def __del__(self):
        handle, self._handle = self._handle, 0
        if handle and ClrObject._bridge is not None:
            ClrObject._bridge.release(handle)


def _signature(overload: dict, instance: bool) -> inspect.Signature | None:
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)] if instance else []
    for p in overload["params"]:
        if p["kind"] == "params":
            parameters.append(inspect.Parameter(p["name"], inspect.Parameter.VAR_POSITIONAL))
        elif "default" in p:
            parameters.append(inspect.Parameter(p["name"], inspect.Parameter.POSITIONAL_OR_KEYWORD, default=_Literal(p["default"])))
        else:
            parameters.append(inspect.Parameter(p["name"], inspect.Parameter.POSITIONAL_OR_KEYWORD))
    try:
        return inspect.Signature(parameters)
    except ValueError:
        return None


def _doc(overloads: list[dict], doc: str | None, clr_name: str) -> str:
    lines = [o["python"] for o in overloads]
    text = "\n".join(lines)
    if doc:
        text += "\n\n" + doc
    text += "\n\n.NET: " + "\n      ".join(o["csharp"] for o in overloads) if overloads else f"\n\n.NET: {clr_name}"
    return text


class Builder:
    """Makes modules and classes from descriptions; one per process, shared by every loaded namespace."""

    def __init__(self, bridge_factory):
        self._lock = threading.RLock()
        self._classes: dict[int, type] = {}
        self._pending: dict[int, dict] = {}
        self._kinds: dict[int, str] = {}
        self.bridge: _interop.Bridge = bridge_factory(self)
        ClrObject._bridge = self.bridge

    # -- hooks for the marshaller -------------------------------------------------------------------

    def wrap_object(self, handle: int, type_id: int):
        cls = self.class_for(type_id)
        if self._kinds.get(type_id) == "exception":
            return self._exception_instance(cls, handle, None)
        obj = cls.__new__(cls)
        obj._handle = handle
        return obj

    def enum_value(self, type_id: int, value: int):
        cls = self.class_for(type_id)
        try:
            return cls(value)
        except ValueError:
            return value

    def type_class(self, type_id: int) -> type:
        return self.class_for(type_id)

    def make_exception(self, type_id: int, info: dict, handle: int) -> BaseException:
        try:
            cls = self.class_for(type_id) if type_id else None
        except Exception:  # a broken description must not hide the real error
            cls = None
        if cls is None or not issubclass(cls, BaseException):
            if handle:
                self.bridge.release(handle)
            error = RuntimeError(f"{info.get('type')}: {info.get('message')}")
            return error
        return self._exception_instance(cls, handle, info)

    def _exception_instance(self, cls, handle: int, info: dict | None):
        exc = cls.__new__(cls)
        exc._handle = handle
        if info is None:
            message = exc.message if hasattr(cls, "message") else ""
            info = {"type": None, "message": message, "stack": None}
        exc.clr_type = info.get("type")
        exc.clr_message = info.get("message")
        exc.clr_stack_trace = info.get("stack")
        exc.args = (info.get("message"),)
        return exc

    # -- loading ------------------------------------------------------------------------------------

    def load(self, description: dict) -> types.ModuleType:
        with self._lock:
            for d in description["well_known"] + description["types"]:
                if d["id"] not in self._classes:
                    self._pending[d["id"]] = d
            for d in description["well_known"] + description["types"]:
                self.class_for(d["id"])
            for type_id, module_name in description["placement"]:
                cls = self._classes[type_id]
                _export(_module(module_name), cls.__name__, cls)
            root = _module(description["module"])
            root.__clr_namespace__ = description["namespace"]
            root.__clr_assembly__ = description["assembly"]
            root.__clr_skipped__ = description["skipped"]
            return root

    def class_for(self, type_id: int) -> type:
        cls = self._classes.get(type_id)
        if cls is not None:
            return cls
        with self._lock:
            cls = self._classes.get(type_id)
            if cls is not None:
                return cls
            d = self._pending.pop(type_id, None) or self.bridge.describe_type(type_id)
            cls = self._build(d)
            self._classes[type_id] = cls
            self._kinds[type_id] = d["kind"]
            self._place(cls, d)
            return cls

    def _place(self, cls: type, d: dict) -> None:
        if not d.get("visible", True):
            return
        if d.get("declaring"):
            outer = self.class_for(d["declaring"])
            type.__setattr__(outer, d["name"], cls) if isinstance(outer, ClrType) else setattr(outer, d["name"], cls)
            return
        module = _module(d["module"])
        if d["module"] == "snn.clr" and hasattr(module, d["name"]):
            return  # same simple name as an earlier foreign type: reachable through its id only
        _export(module, d["name"], cls)

    def _qualname(self, d: dict) -> str:
        if d.get("declaring"):
            return self.class_for(d["declaring"]).__qualname__ + "." + d["name"]
        return d["name"]

    def _build(self, d: dict) -> type:
        if d["kind"] == "enum":
            return self._build_enum(d)
        namespace: dict[str, Any] = {
            "__module__": d["module"],
            "__qualname__": self._qualname(d),
            "__doc__": (d["doc"] + "\n\n" if d.get("doc") else "") + f".NET type: {d['clr']}",
            "_clr_type_id": d["id"],
        }
        if d["kind"] == "exception":
            bases = tuple(self._exception_base(b) for b in d["pybases"])
            self._add_members(namespace, d, bases)
            namespace["__str__"] = ClrError.__str__   # before KeyError's and OSError's own __str__
            cls = type(d["name"], bases, namespace)
            if d["clr"] == "System.Exception":
                # Every .NET exception class derives from ClrError: give it System.Exception's members.
                for name, value in namespace.items():
                    if not name.startswith("_") and name not in ClrError.__dict__:
                        setattr(ClrError, name, value)
            return cls
        namespace["__slots__"] = ()
        bases = tuple(self.class_for(b) for b in d["bases"]) or (ClrObject,)
        if not any(issubclass(b, ClrObject) for b in bases):
            bases += (ClrObject,)
        self._add_members(namespace, d, bases)
        try:
            return ClrType(d["name"], bases, namespace)
        except TypeError:
            # Interfaces whose order Python's MRO cannot linearise: keep the first base only.
            return ClrType(d["name"], bases[:1] if issubclass(bases[0], ClrObject) else (ClrObject,), namespace)

    def _exception_base(self, base) -> type:
        if isinstance(base, int):
            return self.class_for(base)
        if base == "ClrError":
            return ClrError
        return getattr(builtins, base)

    def _build_enum(self, d: dict) -> type:
        e = d["enum"]
        base = enum.IntFlag if e["flags"] else enum.IntEnum
        cls = base(d["name"], [(m["name"], m["value"]) for m in e["members"]],
                   module=d["module"], qualname=self._qualname(d))
        cls._clr_type_id = d["id"]
        cls.__doc__ = (d["doc"] + "\n\n" if d.get("doc") else "") + f".NET enum: {d['clr']}"
        return cls

    def _add_members(self, ns: dict, d: dict, bases: tuple) -> None:
        bridge = self.bridge
        qualname = ns["__qualname__"]
        is_exception = d["kind"] == "exception"
        ctor = d.get("ctor")
        if ctor is not None:
            ns["__init__"] = _constructor(bridge, ctor, qualname, d, is_exception)
        for m in d["members"]:
            kind = m["kind"]
            if kind == "method":
                ns[m["name"]] = _method(bridge, m, qualname, ns["__module__"])
            elif kind in ("property", "field"):
                ns[m["name"]] = _property(bridge, m)
        caps = d.get("capabilities", {})
        if is_exception:
            return
        if caps.get("getitem"):
            ns["__getitem__"], setter = _indexer(bridge, d["members"], caps["getitem"], qualname)
            if caps.get("setitem"):
                ns["__setitem__"] = setter
        if caps.get("len"):
            def __len__(self):
                return bridge.invoke(self._handle, LEN, OP_GET)
            ns["__len__"] = __len__
        if caps.get("iter"):
            def __iter__(self):
                return _Iterator(bridge.invoke(self._handle, ITER, OP_GET, raw=True))
            ns["__iter__"] = __iter__
        if caps.get("mapping"):
            _add_mapping_protocol(ns, bases)
        if caps.get("dispose"):
            def dispose(self):
                """Releases the .NET object's resources now (IDisposable.Dispose)."""
                bridge.invoke(self._handle, DISPOSE, OP_GET)

            def __enter__(self):
                return self

            def __exit__(self, *exc_info):
                bridge.invoke(self._handle, DISPOSE, OP_GET)
                return False
            ns["__enter__"], ns["__exit__"] = __enter__, __exit__
            for alias in ("dispose", "close"):
                if alias not in ns and not any(hasattr(b, alias) for b in bases):  # never shadow a .NET member
                    ns[alias] = dispose
        if caps.get("array"):
            member_id = caps["array"]

            def __array__(self, dtype=None, copy=None):
                array = bridge.invoke(self._handle, member_id, OP_GET)
                return numpy.asarray(array, dtype=dtype) if dtype is not None else array
            ns["__array__"] = __array__


def _constructor(bridge, ctor: dict, qualname: str, d: dict, is_exception: bool):
    member_id = ctor["id"]
    if is_exception:
        def __init__(self, *args, **kwargs):
            self._handle = bridge.invoke(0, member_id, OP_GET, args, kwargs, raw=True)
            message = self.message
            self.clr_type, self.clr_message = d["clr"], message
            Exception.__init__(self, message)
    else:
        def __init__(self, *args, **kwargs):
            self._handle = bridge.invoke(0, member_id, OP_GET, args, kwargs, raw=True)
    __init__.__qualname__ = qualname + ".__init__"
    __init__.__module__ = d["module"]
    __init__.__doc__ = _doc(ctor["overloads"], None, d["clr"] + " constructor")
    __init__.__clr_overloads__ = tuple(o["csharp"] for o in ctor["overloads"])
    if len(ctor["overloads"]) == 1:
        signature = _signature(ctor["overloads"][0], instance=True)
        if signature is not None:
            __init__.__signature__ = signature
    return __init__


def _method(bridge, m: dict, qualname: str, module: str):
    member_id = m["id"]
    if m["static"]:
        def method(*args, **kwargs):
            return bridge.invoke(0, member_id, OP_GET, args, kwargs)
    else:
        def method(self, *args, **kwargs):
            return bridge.invoke(self._handle, member_id, OP_GET, args, kwargs)
    method.__name__ = m["name"]
    method.__qualname__ = qualname + "." + m["name"]
    method.__module__ = module
    method.__doc__ = _doc(m["overloads"], m.get("doc"), m["clr"])
    method.__clr_overloads__ = tuple(o["csharp"] for o in m["overloads"])
    if len(m["overloads"]) == 1:
        signature = _signature(m["overloads"][0], instance=not m["static"])
        if signature is not None:
            method.__signature__ = signature
    return staticmethod(method) if m["static"] else method


def _property(bridge, m: dict):
    member_id = m["id"]
    doc = (m.get("doc") or "") + f"\n\n.NET: {m['type']} {m['clr']}"
    if m["static"]:
        fget = (lambda: bridge.invoke(0, member_id, OP_GET)) if m["readable"] else None
        fset = (lambda value: bridge.invoke(0, member_id, OP_SET, (value,))) if m["writable"] else None
        return StaticProperty(m["name"], fget, fset, doc.strip())

    def fget(self):
        return bridge.invoke(self._handle, member_id, OP_GET)

    def fset(self, value):
        bridge.invoke(self._handle, member_id, OP_SET, (value,))
    return property(fget if m["readable"] else None, fset if m["writable"] else None, doc=doc.strip())


def _indexer(bridge, members: list, member_id: int, qualname: str):
    overloads = next((m["overloads"] for m in members if m["id"] == member_id), [])

    def __getitem__(self, key):
        return bridge.invoke(self._handle, member_id, OP_GET, key if isinstance(key, tuple) else (key,))

    def __setitem__(self, key, value):
        bridge.invoke(self._handle, member_id, OP_SET, (key if isinstance(key, tuple) else (key,)) + (value,))
    for f in (__getitem__, __setitem__):
        f.__qualname__ = qualname + "." + f.__name__
        f.__doc__ = "\n".join(o["python"] for o in overloads) + "\n\n.NET: " + "\n      ".join(o["csharp"] for o in overloads)
        f.__clr_overloads__ = tuple(o["csharp"] for o in overloads)
    return __getitem__, __setitem__


def _export(module: types.ModuleType, name: str, cls: type) -> None:
    setattr(module, name, cls)
    exported = module.__dict__.setdefault("__all__", [])
    if name not in exported:
        exported.append(name)


def _module(name: str) -> types.ModuleType:
    """The module called ``name``, created (with its parents) when it does not exist yet."""
    module = sys.modules.get(name)
    if module is None:
        if name == "snn.clr":
            return importlib.import_module(name)
        module = types.ModuleType(name, f".NET namespace mapped to the Python module {name}.")
        module.__path__ = []  # a package, so "import parent.child" finds its children in sys.modules
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(_module(parent), child, module)
    return module


def _add_mapping_protocol(ns: dict, bases: tuple) -> None:
    """A .NET dictionary as a Python mapping: keys()/values()/items() methods (in place of the Keys/Values
    properties), iteration over keys, `in`, get(), and dict(d) working."""
    def prop(name):
        found = ns.get(name)
        for base in bases:
            if found is None:
                found = getattr(base, name, None)
        return found

    keys_prop, values_prop = prop("keys"), prop("values")
    if not isinstance(keys_prop, property) or not isinstance(values_prop, property):
        return

    def keys(self):
        """The keys, as a list (the .NET Keys property)."""
        return list(keys_prop.fget(self))

    def values(self):
        """The values, as a list (the .NET Values property)."""
        return list(values_prop.fget(self))

    def items(self):
        """(key, value) pairs, as a list."""
        return list(zip(keys(self), values(self)))

    def __iter__(self):
        return iter(keys(self))

    def __contains__(self, key):
        return key in keys(self)

    def get(self, key, default=None):
        """The value for key, or default when the key is absent."""
        return self[key] if key in keys(self) else default

    ns.update(keys=keys, values=values, items=items, __iter__=__iter__, __contains__=__contains__)
    ns.setdefault("get", get)
