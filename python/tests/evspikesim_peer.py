"""EvSpikeSim 0.5.0 itself, built from its sources as a test oracle (not part of snn).

The sources live beside the repository, in ../shared/peers/EvSpikeSim (override with
$SNN_EVSPIKESIM_SOURCE). load() builds its CPU Python module once into a cache folder outside the
repository, ~/.cache/snn-test-peers/evspikesim-<hash of the sources and the Python version>
($XDG_CACHE_HOME is honoured), following the peer's README: CMake builds the core static library,
then its setup.py builds the pybind11 module (Debian's pybind11-dev and python3-pybind11, installed
by scripts/install-deps). A later call imports the cached module. Missing sources or a failed build
raise: tests that need the oracle fail, they are never skipped.

EvSpikeSim compiles callback sources with `g++ -fPIC -shared -std=c++17` and no include flag, so
load() also puts its headers on CPLUS_INCLUDE_PATH for the compilers it starts.
"""

import fcntl
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def source_dir():
    path = Path(os.environ.get("SNN_EVSPIKESIM_SOURCE", REPO.parent / "shared" / "peers" / "EvSpikeSim"))
    if not (path / "core" / "CMakeLists.txt").is_file() or not (path / "python_api" / "setup.py").is_file():
        raise RuntimeError(f"EvSpikeSim's sources were not found in {path} (expected core/ and python_api/); "
                           "the comparison tests need them: put EvSpikeSim 0.5.0 there or set SNN_EVSPIKESIM_SOURCE")
    return path


def _fingerprint(src):
    digest = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    for root in ("core", "python_api", "version.txt"):
        base = src / root
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for p in files:
            digest.update(str(p.relative_to(src)).encode())
            digest.update(p.read_bytes())
    return digest.hexdigest()[:16]


def _run(cmd, cwd, log):
    result = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log.write(f"$ {' '.join(map(str, cmd))}\n{result.stdout}\n")
    if result.returncode != 0:
        raise RuntimeError(f"building EvSpikeSim failed at `{' '.join(map(str, cmd))}`:\n{result.stdout[-4000:]}")


def _build(src, target):
    """Builds into a temporary sibling of `target`, then renames it: a half-built cache never exists."""
    work = Path(tempfile.mkdtemp(prefix=target.name + ".tmp-", dir=target.parent))
    try:
        tree = work / "src"
        tree.mkdir()
        shutil.copytree(src / "core", tree / "core")
        shutil.copytree(src / "python_api", tree / "python_api")
        shutil.copy2(src / "version.txt", tree / "version.txt")
        with open(work / "build.log", "w") as log:
            # setup.py links ../build/lib/libevspikesim.a, relative to python_api/.
            _run(["cmake", "-S", tree / "core", "-B", tree / "build", "-DCMAKE_BUILD_TYPE=Release"], tree, log)
            _run(["make", "-C", tree / "build", "-j2", "evspikesim"], tree, log)
            _run([sys.executable, "setup.py", "build_ext", "--build-lib", work / "module"], tree / "python_api", log)
        (work / "include").mkdir()
        for inc in ("core/common/inc", "core/cpu/inc"):
            shutil.copytree(tree / inc, work / "include", dirs_exist_ok=True)
        shutil.rmtree(tree)
        work.rename(target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def cache_dir():
    src = source_dir()
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "snn-test-peers"
    base.mkdir(parents=True, exist_ok=True)
    target = base / f"evspikesim-{_fingerprint(src)}"
    with open(base / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time across processes
        if not target.is_dir():
            _build(src, target)
    return target


def load():
    """The `evspikesim` module (building it on first use) with its headers on CPLUS_INCLUDE_PATH."""
    if "evspikesim" in sys.modules:
        return sys.modules["evspikesim"]
    target = cache_dir()
    modules = sorted((target / "module").glob("evspikesim*.so"))
    if not modules:
        raise RuntimeError(f"{target} holds no evspikesim*.so; delete the folder to rebuild it")
    include = str(target / "include")
    paths = [p for p in os.environ.get("CPLUS_INCLUDE_PATH", "").split(os.pathsep) if p]
    if include not in paths:
        os.environ["CPLUS_INCLUDE_PATH"] = os.pathsep.join([include] + paths)
    spec = importlib.util.spec_from_file_location("evspikesim", modules[0])
    module = importlib.util.module_from_spec(spec)
    sys.modules["evspikesim"] = module
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    print(load().__file__)
