"""The run manifest: what a roster was built from (each input's path relative to the roster's folder and its
SHA-256) and how (the version, the seed, every solver parameter), in the roster's Run sheet and as
`<name>.manifest.json` beside it, so that `check` tells an input changed since from the one the roster was
built with, and a roster folder moved together with its inputs still finds them."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scheduler.errors import InputError

# The inputs a roster records: how a message names each, the option of `check` that gives another (None:
# none does) and the option of `build` that gave it.
INPUTS = {"center_workbook": ("center workbook", "--center", "--center"),
          "rules_file": ("rules file", "--rules", "--rules"),
          "forecast_file": ("forecast", "--forecast", "--forecast"),
          "previous_roster": ("previous roster", None, "--previous"),
          "pinned_file": ("sign-up sheet", None, "--pinned")}


def sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def relative(path: Path, folder: Path) -> str:
    """`path` as seen from `folder` (os.path.relpath), which holds when both move together; a path on another
    Windows drive has none: then its absolute path."""
    try:
        return os.path.relpath(path.resolve(), folder.resolve())
    except ValueError:
        return str(path.resolve())


@dataclass(frozen=True)
class Recorded:
    """An input as a roster's Run sheet records it."""

    absolute: Path
    relative: str | None = None  # from the roster's folder; None: a roster written before the manifest
    sha256: str | None = None  # None: not verified (a roster written before the manifest)

    def find(self, workbook: Path) -> Path:
        """The file: at its relative path from the roster's folder, else its absolute path, else the file of
        the same name beside the roster (which is returned, found or not, for the reader to report)."""
        beside = workbook.parent / self.absolute.name
        candidates = [*([workbook.parent / self.relative] if self.relative else []), self.absolute]
        return next((path for path in candidates if path.exists()), beside)

    def verified(self, workbook: Path, key: str) -> Path:
        """The file found, once its SHA-256 is the one recorded (an InputError naming the input otherwise)."""
        path = self.find(workbook)
        if self.sha256 is None or not path.is_file():
            return path  # an older roster, or a missing file the reader reports
        now = sha256(path)
        if now != self.sha256:
            label, option, build_option = INPUTS[key]
            fix = (f"give the {label} it was built with ({option}) or build again" if option else
                   f"put back the {label} it was built with, or build again with {build_option}")
            raise InputError(f"the {label} {_shown(path)} changed since this roster was built (SHA-256 was "
                             f"{self.sha256[:12]}, now {now[:12]})", file=workbook, sheet="Run", fix=fix)
        return path


def _shown(path: Path) -> str:
    """A path as the user would type it: from the current folder when under it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path.resolve())


@dataclass(frozen=True)
class Manifest:
    """What a roster was built from and how; `rows` go into its Run sheet, `json` beside it."""

    version: str
    generated: str
    inputs: Mapping[str, Recorded]
    solver: Any  # the SolverSettings, a dataclass (readers never import the model)

    @classmethod
    def of(cls, version: str, generated: str, paths: Mapping[str, Path], digests: Mapping[str, str],
           folder: Path, solver: Any) -> Manifest:
        inputs = {key: Recorded(path.resolve(), relative(path, folder), digests.get(key))
                  for key, path in paths.items()}
        return cls(version, generated, inputs, solver)

    def rows(self) -> list[tuple[str, Any]]:
        """The relative path and SHA-256 of each input (its absolute path has a row of its own already),
        then every solver parameter, nested ones as `solver.phased.window_share`."""
        inputs = [row for key, recorded in self.inputs.items()
                  for row in ((f"{key}_relative", recorded.relative), (f"{key}_sha256", recorded.sha256))]
        return [*inputs, *((name, ", ".join(v) if isinstance(v, tuple) else v)
                           for name, v in _flat(dataclasses.asdict(self.solver), "solver"))]

    def json(self) -> str:
        inputs = {key: {"path": r.relative, "absolute": str(r.absolute), "sha256": r.sha256}
                  for key, r in self.inputs.items()}
        return json.dumps({"scheduler_version": self.version, "generated": self.generated,
                           "seed": self.solver.seed, "inputs": inputs,
                           "solver": dataclasses.asdict(self.solver)}, indent=2) + "\n"


def _flat(values: Mapping[str, Any], prefix: str) -> list[tuple[str, Any]]:
    return [row for name, value in values.items()
            for row in (_flat(value, f"{prefix}.{name}") if isinstance(value, dict)
                        else [(f"{prefix}.{name}", value)])]


def manifest_path(workbook: Path) -> Path:
    return workbook.with_name(f"{workbook.stem}.manifest.json")
