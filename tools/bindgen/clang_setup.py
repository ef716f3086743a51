"""Finds Debian's libclang and its Python bindings (python3-clang-14, libclang-14-dev).

Kept apart from parse.py so that a missing package gives one clear message, and so that the
shared object is configured exactly once per process (clang.cindex refuses a second time).
"""
from __future__ import annotations

import ctypes.util
import glob
import os
import re
import sys

# The python3-clang-14 bindings are written against libclang 14; prefer that exact library.
_PREFERRED = "/usr/lib/llvm-14/lib/libclang.so.1"
# Debian installs the bindings here; /usr/bin/python3 sees them, a pyenv python does not.
_DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages"


class SetupError(Exception):
    pass


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path))


def _candidates() -> list[str]:
    found: list[str] = []
    explicit = os.environ.get("BINDGEN_LIBCLANG")
    if explicit:
        found.append(explicit)
    found.append(_PREFERRED)
    found += sorted(glob.glob("/usr/lib/llvm-*/lib/libclang.so.1"), key=_version_key, reverse=True)
    found += sorted(glob.glob("/usr/lib/*/libclang-*.so.1"), key=_version_key, reverse=True)
    by_name = ctypes.util.find_library("clang")
    if by_name:
        found.append(by_name)
    return found


def cindex():
    """Returns the configured clang.cindex module, or raises SetupError saying what to install."""
    try:
        import clang.cindex as ci  # noqa: PLC0415 - imported lazily so --help works without it
    except ImportError:
        if _DEBIAN_DIST_PACKAGES not in sys.path and os.path.isdir(_DEBIAN_DIST_PACKAGES):
            sys.path.append(_DEBIAN_DIST_PACKAGES)
        try:
            import clang.cindex as ci  # noqa: PLC0415
        except ImportError as error:
            raise SetupError(
                f"cannot import clang.cindex ({error}); install python3-clang-14 and libclang-14-dev "
                "(scripts/install-deps) and run with /usr/bin/python3") from error
    if not ci.Config.loaded:
        candidates = _candidates()
        library = next((path for path in candidates if os.path.exists(path)), None)
        if library is None:
            raise SetupError("cannot find libclang; looked for: " + ", ".join(candidates) +
                             ". Install libclang-14-dev or set BINDGEN_LIBCLANG to the shared object")
        ci.Config.set_library_file(library)
    return ci
