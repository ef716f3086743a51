"""pytest options for the bindgen tests.

  /usr/bin/python3 -m pytest tools/bindgen/tests                  # check
  /usr/bin/python3 -m pytest tools/bindgen/tests --update-golden  # rewrite cases/*/expected/ deliberately
"""
import sys
from pathlib import Path

import pytest

# The generator's modules are flat files beside bindgen.py.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the expected outputs of tools/bindgen/tests/cases from the generator")


@pytest.fixture
def update_golden(request):
    return request.config.getoption("--update-golden")
