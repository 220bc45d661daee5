"""The one entry point over the benchmark scripts: list them, run one, or run the quick check.

Run from the repository root:

    python benchmarks/run.py list                      every script and what it measures
    python benchmarks/run.py NAME [its own options]    one script: `sample_week --seeds 10 --time-limit 60`
    python benchmarks/run.py quick                     tiny cases of three scripts (CI: the code cannot rot)
    python benchmarks/run.py --out DIR [--force] NAME  results in DIR, not outputs/benchmarks/<run>/

A script is every benchmarks/*.py but this one, run as
`python benchmarks/NAME.py` with this checkout first on PYTHONPATH; its stdout is shown as it comes and kept.
Each run writes, as one set, into outputs/benchmarks/<UTC time>-<name>/ (never over an earlier run):
NAME.txt (the whole stdout) and NAME.csv for the first Markdown table it prints (NAME-2.csv, ... for
further ones). Scripts that write a CSV of their own (forecast_coverage, scenarios) still do, where their
options say. A script that fails writes nothing and its exit code is the runner's.
The protocol (instances, limits, workers, seeds, what counts): benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # run as a script: this checkout's scheduler, not an installed one

from scheduler.io.tables import Writer, csv_writer, write_files

# Tiny cases that exercise the scripts' code end to end in well under a minute; no timing is asserted.
QUICK = (
    ("staffing_math", ("--repeats", "3")),
    ("sample_week", ("--seeds", "1", "--time-limit", "1")),
    ("curtois", ("table", "tests/fixtures/curtois_tiny.txt", "--time-limit", "5", "--deterministic")),
)


def scripts() -> dict[str, Path]:
    return {path.stem: path for path in sorted(HERE.glob("*.py")) if path.name != Path(__file__).name}


def summary(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return doc.split("\n\n")[0].replace("\n", " ")


def markdown_tables(text: str) -> list[pd.DataFrame]:
    """Every Markdown table in `text` as a frame: a header row followed by a |---| row starts one, and every
    later row of as many cells belongs to it, even past other printed lines (sample_week prints a summary
    between its settings). Numbers with thousands separators become numbers, bold marks are dropped, other
    cells stay text."""
    lines = text.splitlines()
    headers: list[list[str]] = []
    bodies: list[list[list[object]]] = []
    for i, line in enumerate(lines):
        cells = _cells(line)
        if cells is None or _is_rule(cells):
            continue
        following = _cells(lines[i + 1]) if i + 1 < len(lines) else None
        if following is not None and _is_rule(following):
            headers.append(cells)
            bodies.append([])
        elif headers and len(cells) == len(headers[-1]):
            bodies[-1].append([_number(cell) for cell in cells])
    return [pd.DataFrame(body, columns=header) for header, body in zip(headers, bodies, strict=True)]


def _cells(line: str) -> list[str] | None:
    if not line.startswith("|"):
        return None
    return [cell.strip().replace("**", "") for cell in line.strip().strip("|").split("|")]


def _is_rule(cells: list[str]) -> bool:
    return all(cell and set(cell) <= set("-: ") for cell in cells)


def _number(cell: str) -> object:
    try:
        return float(cell.replace(",", "")) if "." in cell else int(cell.replace(",", ""))
    except ValueError:
        return cell


def run_script(name: str, args: list[str], out: Path, force: bool = False) -> int:
    """Runs one script, echoing its stdout; on success writes NAME.txt and its tables as CSV into `out`."""
    path = scripts().get(name)
    if path is None:
        print(f"Error: no benchmark {name!r} ({HERE}); `python benchmarks/run.py list` names them",
              file=sys.stderr)
        return 2
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.getenv("PYTHONPATH")]))}
    if {"-h", "--help"} & set(args):  # the script's own help: nothing to keep
        return subprocess.run([sys.executable, str(path), *args], cwd=ROOT, env=env, check=False).returncode
    if (out / f"{name}.txt").exists() and not force:
        print(f"Error: {out} holds an earlier {name} run; another --out, or --force to replace it",
              file=sys.stderr)
        return 2
    with subprocess.Popen([sys.executable, str(path), *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          text=True) as process:
        lines = []
        for line in process.stdout:
            print(line, end="", flush=True)
            lines.append(line)
    if process.returncode:
        print(f"{name} failed (exit {process.returncode}); nothing written", file=sys.stderr)
        return process.returncode
    text = "".join(lines)
    files: dict[Path, Writer] = {out / f"{name}.txt": lambda target: target.write_text(text, "utf-8")}
    for i, table in enumerate(markdown_tables(text), start=1):
        files[out / (f"{name}.csv" if i == 1 else f"{name}-{i}.csv")] = csv_writer(table)
    write_files(files)
    for stale in set(out.glob(f"{name}-*.csv")) - set(files):  # --force over a run that printed more tables
        stale.unlink()
    print(f"written {', '.join(str(p) for p in files)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path,
                        help="results folder (default: outputs/benchmarks/<UTC time>-<name>)")
    parser.add_argument("--force", action="store_true", help="replace an earlier run's files in --out")
    parser.add_argument("name", help="list, quick, or a script's name")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the script's own options")
    options = parser.parse_args(argv)
    if options.name == "list":
        found = scripts()
        for name, path in found.items():
            print(f"{name:22} {summary(path)}")
        return 0
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = options.out or ROOT / "outputs" / "benchmarks" / f"{stamp}-{options.name}"
    if options.name == "quick":
        for name, args in QUICK:
            code = run_script(name, list(args), out, options.force)
            if code:
                return code
        return 0
    return run_script(options.name, options.args, out, options.force)


if __name__ == "__main__":
    sys.exit(main())
