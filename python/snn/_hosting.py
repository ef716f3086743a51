"""Hosting CoreCLR in this process: find the .NET runtime, start it through hostfxr, and get
function pointers to the bridge's ``[UnmanagedCallersOnly]`` entry points.

Only this module knows about hostfxr. The runtime starts once per process (CoreCLR cannot be
unloaded or started twice); every later request reuses it.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import threading
from pathlib import Path

# hostfxr_delegate_type.hdt_load_assembly_and_get_function_pointer
_HDT_LOAD_ASSEMBLY_AND_GET_FUNCTION_POINTER = 5
# (const char_t*)-1: the method is [UnmanagedCallersOnly], no delegate type is named.
_UNMANAGEDCALLERSONLY_METHOD = ctypes.c_char_p(ctypes.c_void_p(-1).value)  # type: ignore[arg-type]

_STANDARD_ROOTS = (
    "/usr/share/dotnet",
    "/usr/lib/dotnet",
    "/usr/lib64/dotnet",
    "/usr/local/share/dotnet",
    "/opt/dotnet",
    os.path.expanduser("~/.dotnet"),
)


class HostingError(ImportError):
    """The .NET runtime could not be found or started."""


def _version_key(name: str) -> tuple:
    release, _, prerelease = name.partition("-")
    numbers = tuple(int(p) if p.isdigit() else 0 for p in release.split("."))
    # A release sorts after its previews: (numbers, 1) > (numbers, 0, "preview...").
    return numbers + ((1,) if not prerelease else (0, prerelease))


def _hostfxr_in(root: Path) -> Path | None:
    fxr = root / "host" / "fxr"
    if not fxr.is_dir():
        return None
    versions = sorted((d.name for d in fxr.iterdir() if (d / "libhostfxr.so").is_file()), key=_version_key)
    return fxr / versions[-1] / "libhostfxr.so" if versions else None


def find_dotnet_root() -> tuple[Path, Path]:
    """The .NET installation to use and its newest ``libhostfxr.so``.

    Looks at ``DOTNET_ROOT``, then the ``dotnet`` on PATH (through symlinks), then the standard
    install locations. Raises :class:`HostingError` naming every place tried."""
    candidates: list[tuple[str, Path]] = []
    if os.environ.get("DOTNET_ROOT"):
        candidates.append(("DOTNET_ROOT", Path(os.environ["DOTNET_ROOT"])))
    on_path = shutil.which("dotnet")
    if on_path:
        candidates.append(("dotnet on PATH", Path(os.path.realpath(on_path)).parent))
    candidates.extend(("standard location", Path(p)) for p in _STANDARD_ROOTS)
    tried = []
    for why, root in candidates:
        hostfxr = _hostfxr_in(root)
        if hostfxr is not None:
            return root, hostfxr
        tried.append(f"{root} ({why}: no host/fxr/<version>/libhostfxr.so)")
    raise HostingError(
        "snn needs the .NET 10 runtime, and none was found. Looked in:\n  "
        + "\n  ".join(tried)
        + "\nInstall it (Debian: scripts/install-deps, or the dotnet-runtime-10.0 package) "
        "or set DOTNET_ROOT to the folder that holds host/fxr."
    )


class _InitParameters(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("host_path", ctypes.c_char_p), ("dotnet_root", ctypes.c_char_p)]


_ERROR_WRITER = ctypes.CFUNCTYPE(None, ctypes.c_char_p)
_LOAD_ASSEMBLY = ctypes.CFUNCTYPE(
    ctypes.c_int32, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
    ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p))


class Runtime:
    """CoreCLR started from one ``*.runtimeconfig.json``; gives function pointers of one assembly."""

    def __init__(self, runtime_config: Path, assembly: Path):
        self.dotnet_root, self.hostfxr_path = find_dotnet_root()
        self.assembly = assembly
        self._messages: list[str] = []
        self._writer = _ERROR_WRITER(self._on_error)  # kept alive: hostfxr holds the pointer
        fxr = ctypes.CDLL(str(self.hostfxr_path))
        fxr.hostfxr_set_error_writer.argtypes = [_ERROR_WRITER]
        fxr.hostfxr_set_error_writer.restype = ctypes.c_void_p
        fxr.hostfxr_initialize_for_runtime_config.argtypes = [
            ctypes.c_char_p, ctypes.POINTER(_InitParameters), ctypes.POINTER(ctypes.c_void_p)]
        fxr.hostfxr_initialize_for_runtime_config.restype = ctypes.c_int32
        fxr.hostfxr_get_runtime_delegate.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_void_p)]
        fxr.hostfxr_get_runtime_delegate.restype = ctypes.c_int32
        fxr.hostfxr_close.argtypes = [ctypes.c_void_p]
        fxr.hostfxr_close.restype = ctypes.c_int32
        fxr.hostfxr_set_error_writer(self._writer)

        params = _InitParameters(ctypes.sizeof(_InitParameters), None, str(self.dotnet_root).encode())
        handle = ctypes.c_void_p()
        rc = fxr.hostfxr_initialize_for_runtime_config(str(runtime_config).encode(), ctypes.byref(params), ctypes.byref(handle))
        # 0: started; 1: already running with a compatible config; 2: running, properties differ.
        if rc not in (0, 1, 2) or not handle.value:
            raise HostingError(self._failure(f"hostfxr_initialize_for_runtime_config({runtime_config}) failed", rc))
        try:
            delegate = ctypes.c_void_p()
            rc = fxr.hostfxr_get_runtime_delegate(handle, _HDT_LOAD_ASSEMBLY_AND_GET_FUNCTION_POINTER, ctypes.byref(delegate))
            if rc != 0 or not delegate.value:
                raise HostingError(self._failure("hostfxr_get_runtime_delegate failed", rc))
            self._load = _LOAD_ASSEMBLY(delegate.value)
        finally:
            fxr.hostfxr_close(handle)
        self._fxr = fxr

    def _on_error(self, message: bytes) -> None:
        self._messages.append(message.decode("utf-8", "replace"))

    def _failure(self, what: str, rc: int) -> str:
        detail = "\n".join(self._messages[-10:])
        return (f"snn: {what} with status 0x{rc & 0xFFFFFFFF:08x} (.NET root {self.dotnet_root})"
                + (f":\n{detail}" if detail else "")
                + "\nsnn needs the .NET 10 runtime (Microsoft.NETCore.App 10.x).")

    def function(self, type_name: str, method: str, prototype):
        """A callable for static ``[UnmanagedCallersOnly]`` method ``type_name.method`` of the assembly."""
        pointer = ctypes.c_void_p()
        rc = self._load(str(self.assembly).encode(), type_name.encode(), method.encode(),
                        _UNMANAGEDCALLERSONLY_METHOD, None, ctypes.byref(pointer))
        if rc != 0 or not pointer.value:
            raise HostingError(self._failure(f"cannot get {type_name}.{method} from {self.assembly}", rc))
        return prototype(pointer.value)


_lock = threading.Lock()
_runtime: Runtime | None = None


def start(runtime_config: Path, assembly: Path) -> Runtime:
    """The process's runtime, started on the first call; later calls must name the same files."""
    global _runtime
    with _lock:
        if _runtime is None:
            _runtime = Runtime(runtime_config, assembly)
        elif _runtime.assembly != assembly:
            raise HostingError(f"snn: the .NET runtime already hosts {_runtime.assembly}; cannot switch to {assembly}")
        return _runtime


def runtime_files_error(directory: Path, missing: list[str]) -> str:
    """The ImportError text for a runtime folder without the built files."""
    return (
        f"snn: the .NET bridge is not built: {directory} lacks {', '.join(missing)}.\n"
        "Build it from the repository root with\n"
        "  cmake -S . -B build && cmake --build build -j2\n"
        "  dotnet publish dotnet/Snn.Bridge -c Release -o python/snn/_runtime\n"
        "  cp build/lib/libsnn.so python/snn/_runtime/\n"
        "(scripts/build does all three), or set SNN_RUNTIME_DIR to a folder that holds those files."
    )

