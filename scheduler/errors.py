"""Domain errors: every bad input names where it is and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class InputError(Exception):
    """Bad user input. Rendered by the CLI as one `Error:` line and exit code 2."""

    message: str
    file: Path | str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    fix: str | None = None
    scenario: str | None = None  # a scenario file's scenario (by name) ...
    key: str | None = None  # ... and its key, e.g. hire[2].job_class

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(Path(self.file).name if isinstance(self.file, Path) else str(self.file))
        if self.scenario is not None:
            where.append(f"scenario {self.scenario!r}")
        if self.key is not None:
            where.append(f"key {self.key}")
        if self.sheet is not None:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.value is not None:
            text += f" (value: {self.value!r})"
        if self.fix:
            text += f"; {self.fix}"
        return text


class SolveError(Exception):
    """The model could not produce a roster (for example hard rules that cannot all hold)."""


class OutOfTime(SolveError):
    """No roster found in the time limit, and nothing proves there is none: a longer limit may find one."""
