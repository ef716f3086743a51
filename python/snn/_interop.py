"""The bridge's entry points and the variants that cross them.

Python only marshals here: values become blittable tagged variants (see docs/python.md) and
results come back as Python values. Every decision about what a value may become on the C#
side (overloads, ranges, dtypes, contiguity) is taken by the bridge, in C#.
"""

from __future__ import annotations

import ctypes
import enum
import json
import struct
from typing import Any, Callable

import numpy

ABI = 1

# Variant tags (Snn.Bridge.Tag).
NONE, BOOL, INT, UINT, FLOAT, STR, OBJECT, ENUM, LIST, TUPLE, NDARRAY, BYTES, TYPE, BIGINT, DICT = range(15)
STOP, ERROR = 254, 255

# Invoke operations and intrinsic member ids (Snn.Bridge.Exports / Snn.Bridge.Intrinsic).
OP_GET, OP_SET = 0, 1
TO_STRING, EQUALS, HASH, DISPOSE, ITER, NEXT, LEN = -1, -2, -3, -4, -5, -6, -7

_INT64_MIN, _INT64_MAX, _UINT64_MAX = -(1 << 63), (1 << 63) - 1, (1 << 64) - 1


class Variant(ctypes.Structure):
    """32 bytes: int32 tag, int32 aux, int64 a, b, c."""
    _fields_ = [("tag", ctypes.c_int32), ("aux", ctypes.c_int32),
                ("a", ctypes.c_int64), ("b", ctypes.c_int64), ("c", ctypes.c_int64)]


class NdArrayIn(ctypes.Structure):
    """A numpy array passed in (Snn.Bridge.NdArrayIn)."""
    _fields_ = [("data", ctypes.c_void_p), ("ndim", ctypes.c_int32), ("flags", ctypes.c_int32),
                ("shape", ctypes.POINTER(ctypes.c_int64)), ("strides", ctypes.POINTER(ctypes.c_int64)),
                ("typestr", ctypes.c_char_p)]


class NdArrayOut(ctypes.Structure):
    """Header of an outgoing array's shape block (Snn.Bridge.NdArrayOut); ndim int64 extents follow."""
    _fields_ = [("ndim", ctypes.c_int64), ("typestr", ctypes.c_char * 8)]


_VariantP = ctypes.POINTER(Variant)
_LOAD_NAMESPACE = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, _VariantP)
_DESCRIBE_TYPE = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_int32, _VariantP)
_GET_INVENTORY = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_char_p, _VariantP)
_INVOKE = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_int64, ctypes.c_int32, ctypes.c_int32, _VariantP, ctypes.c_int32,
                           ctypes.POINTER(ctypes.c_char_p), ctypes.c_int32, _VariantP)
_RELEASE = ctypes.CFUNCTYPE(None, ctypes.c_int64)
_FREE_RESULT = ctypes.CFUNCTYPE(None, _VariantP)
_STATS = ctypes.CFUNCTYPE(None, ctypes.POINTER(ctypes.c_int64))

EXPORTS_TYPE = "Snn.Bridge.Exports, Snn.Bridge"


def _address(data: bytes) -> int:
    """Address of a bytes object's buffer (no copy; the caller keeps the object alive)."""
    return ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value or 0


class _PinnedArray:
    """Owns the pin of a managed array that a numpy array views; unpins it when numpy lets go."""
    __slots__ = ("__array_interface__", "_handle", "_release", "__weakref__")

    def __init__(self, data: int, shape: tuple, typestr: str, handle: int, release: Callable[[int], None]):
        self.__array_interface__ = {"data": (data, False), "shape": shape, "typestr": typestr, "version": 3}
        self._handle = handle
        self._release = release

    def __del__(self):
        handle, self._handle = self._handle, 0
        if handle:
            self._release(handle)


class Hooks:
    """What the proxy builder supplies so results become proxies, enum members and exceptions."""
    wrap_object: Callable[[int, int], Any]
    enum_value: Callable[[int, int], Any]
    type_class: Callable[[int], type]
    make_exception: Callable[[int, dict, int], BaseException]


class Bridge:
    """The bridge's entry points, called through ctypes (which releases the GIL during each call)."""

    def __init__(self, runtime, hooks: Hooks):
        f = runtime.function
        self._load_namespace = f(EXPORTS_TYPE, "LoadNamespace", _LOAD_NAMESPACE)
        self._describe_type = f(EXPORTS_TYPE, "DescribeType", _DESCRIBE_TYPE)
        self._get_inventory = f(EXPORTS_TYPE, "GetInventory", _GET_INVENTORY)
        self._invoke = f(EXPORTS_TYPE, "Invoke", _INVOKE)
        self._release = f(EXPORTS_TYPE, "Release", _RELEASE)
        self._free_result = f(EXPORTS_TYPE, "FreeResult", _FREE_RESULT)
        self._stats = f(EXPORTS_TYPE, "Stats", _STATS)
        self.hooks = hooks

    # -- entry points ---------------------------------------------------------------------------

    def load_namespace(self, assembly: str, namespace: str, module: str) -> dict:
        result = Variant()
        rc = self._load_namespace(assembly.encode(), namespace.encode(), module.encode(), ctypes.byref(result))
        description = json.loads(self._result(rc, result))
        if description.get("abi") != ABI:
            raise ImportError(f"snn: the bridge speaks ABI {description.get('abi')}, this package ABI {ABI}; rebuild python/snn/_runtime")
        return description

    def describe_type(self, type_id: int) -> dict:
        result = Variant()
        return json.loads(self._result(self._describe_type(type_id, ctypes.byref(result)), result))

    def inventory(self, namespace: str) -> list:
        result = Variant()
        return json.loads(self._result(self._get_inventory(namespace.encode(), ctypes.byref(result)), result))

    def invoke(self, target: int, member: int, op: int, args: tuple = (), kwargs: dict | None = None, raw: bool = False):
        """Calls member ``member`` on ``target`` (a handle, or 0); ``raw`` returns an object result's handle unwrapped."""
        keep: list = []
        count = len(args) + (len(kwargs) if kwargs else 0)
        values = (Variant * count)() if count else None
        for i, value in enumerate(args):
            self._to_variant(value, values[i], keep)
        names = None
        if kwargs:
            names = (ctypes.c_char_p * len(kwargs))()
            for j, (name, value) in enumerate(kwargs.items(), start=len(args)):
                encoded = name.encode()
                keep.append(encoded)
                names[j - len(args)] = encoded
                self._to_variant(value, values[j], keep)
        result = Variant()
        rc = self._invoke(target, member, op, values, len(args), names, len(kwargs) if kwargs else 0, ctypes.byref(result))
        if raw and rc == 0 and result.tag == OBJECT:
            return result.a
        return self._result(rc, result)

    def release(self, handle: int) -> None:
        self._release(handle)

    def stats(self) -> tuple[int, int]:
        counters = (ctypes.c_int64 * 2)()
        self._stats(counters)
        return counters[0], counters[1]

    # -- marshalling ----------------------------------------------------------------------------

    def _result(self, rc: int, result: Variant):
        try:
            if rc != 0:
                if result.tag != ERROR or not result.a:
                    raise RuntimeError("snn: the .NET bridge failed without reporting why")
                info = json.loads(ctypes.string_at(result.a, result.b).decode("utf-8"))
                raise self.hooks.make_exception(result.aux, info, result.c)
            return self._from_variant(result)
        finally:
            self._free_result(ctypes.byref(result))

    def _from_variant(self, v: Variant):
        tag = v.tag
        if tag == NONE:
            return None
        if tag == BOOL:
            return bool(v.a)
        if tag == INT:
            return v.a
        if tag == UINT:
            return v.a & _UINT64_MAX
        if tag == FLOAT:
            return struct.unpack("<d", struct.pack("<q", v.a))[0]
        if tag == STR:
            return ctypes.string_at(v.a, v.b).decode("utf-8") if v.b else ""
        if tag == BIGINT:
            return int(ctypes.string_at(v.a, v.b).decode("ascii"))
        if tag == OBJECT:
            return self.hooks.wrap_object(v.a, v.aux)
        if tag == ENUM:
            return self.hooks.enum_value(v.aux, v.a)
        if tag in (LIST, TUPLE):
            items = (Variant * v.b).from_address(v.a) if v.b else ()
            values = [self._from_variant(item) for item in items]
            return values if tag == LIST else tuple(values)
        if tag == NDARRAY:
            header = NdArrayOut.from_address(v.b)
            shape = tuple((ctypes.c_int64 * header.ndim).from_address(v.b + ctypes.sizeof(NdArrayOut)))
            keeper = _PinnedArray(v.a, shape, header.typestr.decode("ascii"), v.c, self._release)
            return numpy.asarray(keeper)
        if tag == TYPE:
            return self.hooks.type_class(v.aux)
        if tag == STOP:
            return _STOP
        raise RuntimeError(f"snn: unknown variant tag {tag} from the bridge")

    def _to_variant(self, value, v: Variant, keep: list) -> None:
        if value is None:
            v.tag = NONE
        elif isinstance(value, (bool, numpy.bool_)):
            v.tag, v.a = BOOL, int(bool(value))
        elif isinstance(value, enum.Enum) and hasattr(type(value), "_clr_type_id"):
            v.tag, v.aux, v.a = ENUM, type(value)._clr_type_id, int(value.value)
        elif isinstance(value, type) and "_clr_type_id" in getattr(value, "__dict__", {}):
            v.tag, v.aux = TYPE, value._clr_type_id
        elif getattr(value, "_clr_type_id", None) and getattr(value, "_handle", 0):
            v.tag, v.aux, v.a = OBJECT, type(value)._clr_type_id, value._handle
        elif isinstance(value, (int, numpy.integer)):
            value = int(value)
            if _INT64_MIN <= value <= _INT64_MAX:
                v.tag, v.a = INT, value
            elif 0 <= value <= _UINT64_MAX:
                v.tag, v.a = UINT, value - (1 << 64)
            else:
                digits = str(value).encode()
                keep.append(digits)
                v.tag, v.a, v.b = BIGINT, _address(digits), len(digits)
        elif isinstance(value, (float, numpy.floating)):
            v.tag, v.a = FLOAT, struct.unpack("<q", struct.pack("<d", float(value)))[0]
        elif isinstance(value, str):
            data = value.encode("utf-8")
            keep.append(data)
            v.tag, v.a, v.b = STR, _address(data), len(data)
        elif isinstance(value, numpy.ndarray):
            if value.ndim == 0:
                self._to_variant(value.item(), v, keep)
                return
            ndim = value.ndim
            info = NdArrayIn()
            info.data = value.ctypes.data
            info.ndim = ndim
            info.flags = 0 if value.flags.writeable else 1
            shape = (ctypes.c_int64 * ndim)(*value.shape)
            strides = (ctypes.c_int64 * ndim)(*value.strides)
            typestr = value.dtype.str.encode("ascii")
            info.shape = ctypes.cast(shape, ctypes.POINTER(ctypes.c_int64))
            info.strides = ctypes.cast(strides, ctypes.POINTER(ctypes.c_int64))
            info.typestr = typestr
            keep.extend((value, info, shape, strides, typestr))
            v.tag, v.a = NDARRAY, ctypes.addressof(info)
        elif isinstance(value, (bytes, bytearray, memoryview)):
            data = bytes(value)
            keep.append(data)
            v.tag, v.a, v.b = BYTES, _address(data), len(data)
        elif isinstance(value, (list, tuple, range)):
            items = (Variant * len(value))() if len(value) else (Variant * 1)()
            for i, item in enumerate(value):
                self._to_variant(item, items[i], keep)
            keep.append(items)
            v.tag, v.a, v.b = (TUPLE if isinstance(value, tuple) else LIST), ctypes.addressof(items), len(value)
        elif isinstance(value, dict):
            items = (Variant * (2 * len(value)))() if len(value) else (Variant * 2)()
            for i, (key, item) in enumerate(value.items()):
                self._to_variant(key, items[2 * i], keep)
                self._to_variant(item, items[2 * i + 1], keep)
            keep.append(items)
            v.tag, v.a, v.b = DICT, ctypes.addressof(items), len(value)
        else:
            raise TypeError(
                f"cannot pass a {type(value).__name__} to .NET: use None, bool, int, float, str, bytes, "
                "a list, tuple or dict, a numpy array, an enum member or an snn object")


class _Stop:
    """The end of a .NET enumeration."""


_STOP = _Stop()


def is_stop(value) -> bool:
    return value is _STOP
