"""Domain errors: every bad input names where it is and how to fix it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
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
    section: str | None = None  # a text file's section (a benchmark instance, io/curtois.py) ...
    line: int | None = None  # ... and its line, counted from 1

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(Path(self.file).name if isinstance(self.file, Path) else str(self.file))
        if self.scenario is not None:
            where.append(f"scenario {self.scenario!r}")
        labelled = (("key", self.key), ("section", self.section), ("line", self.line), ("sheet", self.sheet),
                    ("row", self.row), ("column", self.column))
        where += [f"{label} {value}" for label, value in labelled if value is not None]
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.value is not None:
            text += f" (value: {self.value!r})"
        if self.fix:
            text += f"; {self.fix}"
        return text

    def lines(self) -> list[str]:
        """What the CLI prints, each line after `Error: `."""
        return [str(self)]


class InputErrors(InputError):
    """Every error of one input found in a pass (the center workbook: io/center.py), in file, sheet and row
    order: `errors` (the first ones) and how many there are, `total`. Its own fields are the first error's,
    so a caller that handles one InputError handles this one."""

    def __init__(self, errors: Sequence[InputError], total: int | None = None):
        first = errors[0]
        super().__init__(**{f.name: getattr(first, f.name) for f in fields(InputError)})
        self.errors = tuple(errors)
        self.total = len(self.errors) if total is None else total

    def __str__(self) -> str:
        more = self.total - 1
        return super().__str__() + (f" (and {more} more error{'s' * (more > 1)})" if more else "")

    def lines(self) -> list[str]:
        hidden = self.total - len(self.errors)
        more = InputError(f"{hidden:,} more error{'s' * (hidden > 1)} not listed; fix these and read it "
                          "again", file=self.file)
        return [str(error) for error in self.errors] + ([str(more)] if hidden else [])


class SolveError(Exception):
    """The model could not produce a roster (for example hard rules that cannot all hold)."""


class OutOfTime(SolveError):
    """No roster found in the time limit, and nothing proves there is none: a longer limit may find one."""
