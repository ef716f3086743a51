"""The generator on snn's real headers (native/include/snn) must reproduce the committed files."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
BINDGEN = REPO / "tools/bindgen/bindgen.py"
OUTPUT_DIRS = ["dotnet/Snn.Native/Generated", "dotnet/Snn.Tests/Generated", "native/tests/generated"]


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real")
    result = subprocess.run([sys.executable, str(BINDGEN), "--out-root", str(out)], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("folder", OUTPUT_DIRS)
def test_committed_files_match_the_generator(generated: Path, folder: str) -> None:
    committed, fresh = _files(REPO / folder), _files(generated / folder)
    assert sorted(committed) == sorted(fresh), f"{folder}: run scripts/generate-bindings"
    for name in fresh:
        assert committed[name] == fresh[name], f"{folder}/{name} is stale: run scripts/generate-bindings"


def test_check_bindings_script_passes() -> None:
    result = subprocess.run([str(REPO / "scripts/check-bindings")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_api_surface_has_the_expected_shape(generated: Path) -> None:
    """Spot checks of the contract the C# layer codes against."""
    methods = (generated / OUTPUT_DIRS[0] / "Methods.g.cs").read_text()
    structs = (generated / OUTPUT_DIRS[0] / "Structs.g.cs").read_text()
    enums = (generated / OUTPUT_DIRS[0] / "Enums.g.cs").read_text()
    assert '[NativeTypeName("#define SNN_API_VERSION 2")]\n    public const int SNN_API_VERSION = 2;' in methods
    assert ('public static extern snn_status snn_tensor_create(snn_device* device, snn_dtype dtype, '
            '[NativeTypeName("int32_t")] int rank, [NativeTypeName("const int64_t *")] long* shape, '
            'snn_tensor** out_tensor);') in methods
    assert '[return: NativeTypeName("const char *")]\n    public static extern sbyte* snn_last_error_message();' in methods
    assert '[NativeTypeName("char[128]")]\n    public fixed sbyte name[128];' in structs
    assert '[NativeTypeName("int64_t[8]")]\n    public fixed long shape[8];' in structs
    assert "public partial struct snn_device\n{\n}" in structs
    assert "SNN_ERROR_INVALID_ARGUMENT = 1," in enums


@pytest.mark.parametrize("compiler", [["gcc", "-x", "c", "-std=c11"], ["g++", "-x", "c++", "-std=c++17"]],
                         ids=["c11", "c++17"])
def test_layout_header_holds_for_the_native_compiler(compiler: list[str], tmp_path: Path) -> None:
    assert shutil.which(compiler[0]) is not None, f"{compiler[0]} is not installed: run scripts/install-deps"
    source = tmp_path / "check.c"
    source.write_text('#include "layout_expectations.g.h"\nint main(void) { return 0; }\n')
    result = subprocess.run([*compiler, "-Wall", "-Wextra", "-Werror", "-pedantic", "-I", str(REPO / "native/include"),
                             "-I", str(REPO / "native/tests/generated"), "-fsyntax-only", str(source)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
