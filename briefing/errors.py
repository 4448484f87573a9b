"""Errors a user sees: one line, ``path:line: what is wrong — what to do``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class BriefingError(Exception):
    """An error in the user's input, located at ``path:line``."""

    def __init__(self, path: str | Path | None, line: int | None, message: str):
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        super().__init__(self.format())

    def format(self) -> str:
        where = self.path or ""
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


@dataclass
class Diagnostics:
    """Collects problems so that one bad file never stops the rest of the build."""

    errors: list[BriefingError] = field(default_factory=list)
    warnings: list[BriefingError] = field(default_factory=list)

    def error(self, err: BriefingError) -> None:
        self.errors.append(err)

    def warn(self, path, line, message) -> None:
        self.warnings.append(BriefingError(path, line, message))

    def lines(self) -> list[str]:
        return [f"error: {e.format()}" for e in self.errors] + [
            f"warning: {w.format()}" for w in self.warnings
        ]
