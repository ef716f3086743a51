"""Test setup: import snn from this checkout (or the installed package with SNN_TEST_INSTALLED=1),
build the fixture assembly when it is missing or older than its sources, and load it once as the
module ``snn_fixture``."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PYTHON_DIR = REPO / "python"
FIXTURE_PROJECT = REPO / "dotnet" / "Snn.Bridge.Fixture"
FIXTURE_DLL = FIXTURE_PROJECT / "bin" / "Release" / "net10.0" / "Snn.Bridge.Fixture.dll"
BRIDGE_SOURCES = REPO / "dotnet" / "Snn.Bridge"

if not os.environ.get("SNN_TEST_INSTALLED"):
    sys.path.insert(0, str(PYTHON_DIR))


def _newest(folder: Path) -> float:
    """Newest modification time of the project's own sources (not of bin/ and obj/)."""
    sources = (p for p in folder.rglob("*") if p.suffix in (".cs", ".csproj")
               and not {"bin", "obj"} & set(p.relative_to(folder).parts))
    return max((p.stat().st_mtime for p in sources), default=0.0)


def _build_fixture() -> Path:
    if not FIXTURE_DLL.is_file() or FIXTURE_DLL.stat().st_mtime < _newest(FIXTURE_PROJECT):
        subprocess.run(["dotnet", "build", str(FIXTURE_PROJECT), "-c", "Release", "-v", "quiet", "-nologo"],
                       check=True, cwd=REPO)
    return FIXTURE_DLL


def pytest_configure(config):
    # A bridge published before its sources last changed would test old code: refuse to run.
    if os.environ.get("SNN_TEST_INSTALLED") or os.environ.get("SNN_RUNTIME_DIR"):
        return
    published = PYTHON_DIR / "snn" / "_runtime" / "Snn.Bridge.dll"
    if published.is_file() and published.stat().st_mtime < _newest(BRIDGE_SOURCES):
        pytest.exit(f"{published} is older than dotnet/Snn.Bridge; republish it: "
                    "dotnet publish dotnet/Snn.Bridge -c Release -o python/snn/_runtime", returncode=2)


@pytest.fixture(scope="session")
def fixture_dll() -> Path:
    return _build_fixture()


@pytest.fixture(scope="session")
def fx(fixture_dll):
    """The fixture assembly's namespace Snn.Bridge.Fixture, loaded as the module snn_fixture."""
    import snn.clr
    return snn.clr.load(str(fixture_dll), "Snn.Bridge.Fixture", "snn_fixture")


@pytest.fixture
def handles():
    """Live handle counts, measured after a full collection."""
    import snn.clr

    def count():
        gc.collect()
        return snn.clr.live_handles()
    return count
