"""Golden-file tests: each folder under cases/ holds a small input.h and, under expected/,
what the generator must produce from it.

- A case named error_* must make the generator fail; expected/errors.txt is its exact stderr
  (every message names file:line:column).
- Any other case must succeed; expected/ holds every file it writes, byte for byte, and the
  generated C layout header must compile (C11 and C++11) against input.h.
Optional args.txt: extra command-line arguments (a --scope there replaces the default '.').
Run with --update-golden to rewrite expected/ after a deliberate change, then review the diff.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
BINDGEN = HERE.parent / "bindgen.py"
CASES = HERE / "cases"


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "input.h").is_file())


def run_bindgen(case: Path, out: Path) -> subprocess.CompletedProcess:
    extra = (case / "args.txt").read_text().split() if (case / "args.txt").is_file() else []
    scope = [] if "--scope" in extra else ["--scope", "."]
    command = [sys.executable, str(BINDGEN), "input.h", "-I", ".", *scope, *extra,
               "--cs-out", str(out), "--cs-tests-out", str(out), "--c-tests-out", str(out)]
    # Run from the case folder so the messages name "input.h:LINE:COLUMN" wherever the repo is.
    return subprocess.run(command, cwd=case, capture_output=True, text=True)


def replace_expected(expected: Path, files: dict[str, str]) -> None:
    if expected.exists():
        shutil.rmtree(expected)
    expected.mkdir()
    for name, content in files.items():
        (expected / name).write_text(content, encoding="utf-8", newline="\n")


@pytest.mark.parametrize("name", case_names())
def test_case(name: str, tmp_path: Path, update_golden: bool) -> None:
    case = CASES / name
    out = tmp_path / "out"
    result = run_bindgen(case, out)
    expected = case / "expected"

    if name.startswith("error_"):
        assert result.returncode == 1, f"{name} must fail, but exited {result.returncode}:\n{result.stderr}"
        assert not out.exists(), "a failing run must not write any file"
        if update_golden:
            replace_expected(expected, {"errors.txt": result.stderr})
        assert result.stderr == (expected / "errors.txt").read_text(encoding="utf-8")
        return

    assert result.returncode == 0, f"{name} must succeed:\n{result.stderr}"
    actual = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}
    if update_golden:
        replace_expected(expected, actual)
    wanted = {p.name: p.read_text(encoding="utf-8") for p in sorted(expected.iterdir())}
    assert sorted(actual) == sorted(wanted), "generated file set differs from expected/"
    for file_name in wanted:
        assert actual[file_name] == wanted[file_name], f"{name}/expected/{file_name} differs from the generator's output"


@pytest.mark.parametrize("name", [n for n in case_names() if not n.startswith("error_")])
@pytest.mark.parametrize("compiler", [["gcc", "-x", "c", "-std=c11"], ["g++", "-x", "c++", "-std=c++11"]],
                         ids=["c11", "c++11"])
def test_layout_header_compiles(name: str, compiler: list[str], tmp_path: Path) -> None:
    """The static_asserts generated from libclang's layout hold for the real compiler."""
    if shutil.which(compiler[0]) is None:
        pytest.skip(f"{compiler[0]} is not installed")
    case = CASES / name
    source = tmp_path / "check.c"
    source.write_text('#include "layout_expectations.g.h"\nint main(void) { return 0; }\n')
    result = subprocess.run([*compiler, "-Wall", "-Wextra", "-Werror", "-I", str(case), "-I", str(case / "expected"),
                             "-fsyntax-only", str(source)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
