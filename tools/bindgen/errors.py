"""Errors the generator reports instead of emitting code it cannot vouch for.

Every error names the C source position (file:line:column) so that whoever changed a header
can find the construct that the bindings cannot express.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from model import Location


@dataclass
class BindgenError(Exception):
    # Not frozen: Python sets attributes such as __traceback__ on exceptions it raises.
    location: Optional[Location]
    message: str

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location is not None else ""
        return f"{where}error: {self.message}"


class ErrorList:
    """Collects errors so one run reports every problem, not just the first one."""

    def __init__(self) -> None:
        self.errors: list[BindgenError] = []

    def add(self, location: Optional[Location], message: str) -> None:
        self.extend([BindgenError(location, message)])

    def extend(self, errors: "list[BindgenError]") -> None:
        # One bad typedef can be reached from several declarations: say it once.
        for error in errors:
            if all((e.location, e.message) != (error.location, error.message) for e in self.errors):
                self.errors.append(error)

    def __bool__(self) -> bool:
        return bool(self.errors)
