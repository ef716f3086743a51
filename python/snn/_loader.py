"""Where the built runtime files are, and loading a .NET namespace as a Python module tree."""

from __future__ import annotations

import os
import threading
import types
from pathlib import Path

from . import _hosting, _interop, _proxies

BRIDGE = "Snn.Bridge"
_REQUIRED = (f"{BRIDGE}.dll", f"{BRIDGE}.runtimeconfig.json", f"{BRIDGE}.deps.json", "Snn.dll", "Snn.Native.dll")

_lock = threading.Lock()
_builder: _proxies.Builder | None = None


def runtime_dir() -> Path:
    """``SNN_RUNTIME_DIR`` when set, else the ``_runtime`` folder inside this package."""
    configured = os.environ.get("SNN_RUNTIME_DIR")
    return Path(configured).resolve() if configured else Path(__file__).resolve().parent / "_runtime"


def _check(directory: Path) -> None:
    missing = [name for name in _REQUIRED if not (directory / name).is_file()]
    native = [directory / "libsnn.so", directory / "runtimes" / "linux-x64" / "native" / "libsnn.so"]
    if not os.environ.get("SNN_NATIVE_LIBRARY") and not any(p.is_file() for p in native):
        missing.append("libsnn.so")
    if missing:
        raise _hosting.HostingError(_hosting.runtime_files_error(directory, missing))


def builder() -> _proxies.Builder:
    """The process's proxy builder, starting the .NET runtime on first use."""
    global _builder
    with _lock:
        if _builder is None:
            directory = runtime_dir()
            _check(directory)
            runtime = _hosting.start(directory / f"{BRIDGE}.runtimeconfig.json", directory / f"{BRIDGE}.dll")
            hooks = _interop.Hooks()
            _builder = _proxies.Builder(lambda b: _make_bridge(runtime, hooks, b))
        return _builder


def _make_bridge(runtime, hooks: _interop.Hooks, b: _proxies.Builder) -> _interop.Bridge:
    hooks.wrap_object = b.wrap_object
    hooks.enum_value = b.enum_value
    hooks.type_class = b.type_class
    hooks.make_exception = b.make_exception
    return _interop.Bridge(runtime, hooks)


def load_namespace(assembly: str, root_namespace: str, module_name: str) -> types.ModuleType:
    """Loads ``assembly`` (a path, or the name of an assembly next to the bridge such as "Snn") and
    makes the public types of ``root_namespace`` and its sub-namespaces the module ``module_name``
    and its submodules (``Snn.Layers`` under "snn" becomes ``snn.layers``). Returns the module."""
    b = builder()
    description = b.bridge.load_namespace(str(assembly), root_namespace, module_name)
    return b.load(description)


def inventory(root_namespace: str) -> list:
    """Every public type and member of a loaded namespace with its Python name (for parity checks)."""
    return builder().bridge.inventory(root_namespace)


def live_handles() -> dict:
    """GCHandles Python holds: ``objects`` (proxies, exceptions, iterators) and ``pinned`` (numpy views)."""
    objects, pinned = builder().bridge.stats()
    return {"objects": objects, "pinned": pinned}
