"""Finding and starting the .NET runtime, the ImportError texts, and installing the package."""

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import snn
from snn import _hosting, _loader

REPO = Path(__file__).resolve().parents[2]


def _fake_root(base: Path, *versions: str) -> Path:
    for version in versions:
        folder = base / "host" / "fxr" / version
        folder.mkdir(parents=True)
        (folder / "libhostfxr.so").write_bytes(b"")
    return base


def test_dotnet_root_prefers_the_environment_and_the_newest_hostfxr(tmp_path, monkeypatch):
    root = _fake_root(tmp_path / "dotnet", "9.0.1", "10.0.0-preview.7", "10.0.0", "10.0.12")
    monkeypatch.setenv("DOTNET_ROOT", str(root))
    found, hostfxr = _hosting.find_dotnet_root()
    assert found == root
    assert hostfxr == root / "host" / "fxr" / "10.0.12" / "libhostfxr.so"


def test_dotnet_on_path_is_resolved_through_symlinks(tmp_path, monkeypatch):
    root = _fake_root(tmp_path / "install", "10.0.1")
    (root / "dotnet").write_text("#!/bin/sh\n")
    (root / "dotnet").chmod(0o755)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dotnet").symlink_to(root / "dotnet")
    monkeypatch.delenv("DOTNET_ROOT", raising=False)
    monkeypatch.setenv("PATH", str(bin_dir))
    assert _hosting.find_dotnet_root()[0] == root


def test_no_runtime_anywhere_is_an_import_error_saying_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("DOTNET_ROOT", str(tmp_path / "nothing"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(_hosting, "_STANDARD_ROOTS", (str(tmp_path / "also-nothing"),))
    with pytest.raises(ImportError) as info:
        _hosting.find_dotnet_root()
    message = str(info.value)
    assert "needs the .NET 10 runtime" in message and "DOTNET_ROOT" in message
    assert str(tmp_path / "nothing") in message and str(tmp_path / "also-nothing") in message


def test_missing_runtime_files_make_import_fail_with_the_build_commands(tmp_path):
    env = dict(os.environ, SNN_RUNTIME_DIR=str(tmp_path), PYTHONPATH=str(REPO / "python"))
    env.pop("SNN_NATIVE_LIBRARY", None)
    code = "try:\n    import snn\nexcept ImportError as e:\n    print(e)\nelse:\n    print('imported')"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"snn: the .NET bridge is not built: {tmp_path} lacks Snn.Bridge.dll")
    assert "libsnn.so" in result.stdout
    assert "dotnet publish dotnet/Snn.Bridge -c Release -o python/snn/_runtime" in result.stdout
    assert "cp build/lib/libsnn.so python/snn/_runtime/" in result.stdout


def test_the_runtime_starts_once_per_process():
    runtime = _loader.builder()
    directory = _loader.runtime_dir()
    assert _hosting.start(directory / "Snn.Bridge.runtimeconfig.json", directory / "Snn.Bridge.dll") is _hosting._runtime
    with pytest.raises(ImportError, match="already hosts"):
        _hosting.start(directory / "Snn.Bridge.runtimeconfig.json", directory / "Other.dll")
    assert _loader.builder() is runtime


def test_a_namespace_can_be_loaded_again_under_another_module_name(fx, fixture_dll):
    import snn.clr
    module = snn.clr.load(str(fixture_dll), "Snn.Bridge.Fixture.Inner", "fixture_inner_alias")
    assert module.__name__ == "fixture_inner_alias"
    assert module.Widget("a").parts[0].label == "a"
    import fixture_inner_alias
    assert fixture_inner_alias is module
    # One class per .NET type: the alias module holds the class first made for snn_fixture.inner.
    assert module.Widget is fx.inner.Widget and module.Widget.__module__ == "snn_fixture.inner"


def test_pip_installs_a_working_package_offline(tmp_path):
    environment = tmp_path / "venv"
    venv.create(environment, system_site_packages=True, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-build-isolation", "--no-index", str(REPO)],
                   check=True, cwd=tmp_path, capture_output=True)
    check = (
        "import numpy as np, snn, snn.layers\n"
        "assert '/site-packages/snn/' in snn.__file__, snn.__file__\n"
        "t = snn.Tensor.from_array(np.arange(4, dtype=np.float32))\n"
        "print(float(np.asarray(t).sum()), snn.layers.DenseLif.__name__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SNN_RUNTIME_DIR")}
    result = subprocess.run([str(python), "-c", check], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["6.0", "DenseLif"]
