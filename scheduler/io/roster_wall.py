"""Sheet Roster, the roster to print and post: staff grouped by position, a day per column with each shift's
code and times, coloured by shift family (day, evening, night) and for leave and training, holidays and clock
changes marked in the day's header, a total of hours per week, a legend under the grid, set up to print one
page wide per week.

The frame is plain text and numbers (HR imports sheet Assignments, not this one); `dress` adds the colours,
legend and page setup to the written sheet.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from scheduler.domain import WEEKDAYS, Assignment, Center, Employee, Horizon, Rules
from scheduler.io.roster_edits import LEGEND, canonical

FAMILIES = ("day", "evening", "night")  # Rules.period's order
FILLS = {"day": "FFF2CC", "evening": "FCE4D6", "night": "DDEBF7", "leave": "E2EFDA", "training": "E4DFEC",
         "marked": "F4B183"}  # light enough to print in grey; "marked": a holiday's or clock change's header
TRAINING_LEAVE = "TRAIN"
FIXED = ("position", "employee_id", "employee_name", "job_class")  # then each week's days and its total
DAY_WIDTH = 17  # "N10 2100-0700 PR" in full; longer texts (real hours across a clock change) wrap


LegendRow = tuple[str, tuple[tuple[str, str], ...]]  # a label, then cells of (FILLS key or "", text)


@dataclass(frozen=True)
class Wall:
    """The Roster sheet's grid and what `dress` paints on it."""

    frame: pd.DataFrame
    kinds: Mapping[tuple[int, str], str] = field(default_factory=dict)  # (row, day column) -> FILLS key
    notes: Mapping[str, str] = field(default_factory=dict)  # day column -> holiday or clock change
    legend: tuple[LegendRow, ...] = ()  # printed under the grid
    center: str = ""
    period: str = ""  # "Mon 2026-11-30 to Sun 2026-12-06"

    @property
    def title(self) -> str:
        return f"{self.center}: roster {self.period}" if self.center else ""

    @classmethod
    def empty(cls) -> Wall:
        return cls(pd.DataFrame())


def header(column: str, notes: Mapping[str, str]) -> str:
    """A column's header as written: a day's note (holiday, clock change) after its name."""
    return f"{column} {notes[column]}" if column in notes else column


def written_rows(wall: Wall) -> tuple[tuple[str, ...], ...]:
    """The grid as `dress` leaves it in the sheet, as io.roster_edits.table_rows reads it back."""
    rows = [[header(c, wall.notes) for c in wall.frame.columns],
            *([canonical(v) for v in values] for values in wall.frame.itertuples(index=False))]
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    return tuple(tuple(row) for row in rows)


def day_column(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day:%m-%d}"


def week_column(week: int) -> str:
    return f"week {week + 1} hours"


def clock_change(day: date, horizon: Horizon) -> str:
    """'' on a 24-hour day; else what the clocks do that day."""
    def midnight(d: date) -> float:
        return datetime.combine(d, time(0), tzinfo=horizon.tz).timestamp()
    hours = (midnight(day + timedelta(days=1)) - midnight(day)) / 3600
    if hours == 24:
        return ""
    return f"clocks {'back' if hours > 24 else 'forward'} 1 h ({hours:g}-hour day)"


def home_position(employee: Employee, shifts: list[Assignment], center: Center) -> str:
    """The position an employee works most hours at (the first of the center's order on a tie); with no shift,
    the first one they are qualified for."""
    order = [p.id for p in center.positions]
    hours = Counter()
    for a in shifts:
        hours[a.position] += a.hours
    if hours:
        return max(hours, key=lambda p: (hours[p], -order.index(p) if p in order else -len(order)))
    return next((p.id for p in center.positions if employee.qualified_for(p)), "")


def position_tags(center: Center) -> dict[str, str]:
    """A short tag per position for the grid's cells: the initials of its id's words ("police_radio" PR), the
    last word's next letters added while two positions share one ("police_rescue" PRE, "police_radio" PRA);
    the id itself where that never separates them."""
    words = {p.id: [w for w in re.split(r"[^A-Za-z0-9]+", p.id) if w] or [p.id] for p in center.positions}

    def tag(ws: list[str], letters: int) -> str:
        return ("".join(w[0] for w in ws[:-1]) + ws[-1][:letters]).upper()
    tags = {p: tag(ws, 1) for p, ws in words.items()}
    for letters in range(2, max((len(ws[-1]) for ws in words.values()), default=1) + 1):
        clashing = [p for p in tags if list(tags.values()).count(tags[p]) > 1]
        for p in clashing:
            tags[p] = tag(words[p], letters)
    return {p: p if list(tags.values()).count(t) > 1 else t for p, t in tags.items()}


def _shift_text(a: Assignment, center: Center, horizon: Horizon, home: str, tags: Mapping[str, str]) -> str:
    start, end = a.start.astimezone(horizon.tz), a.end.astimezone(horizon.tz)
    text = f"{a.shift_code} {start:%H%M}-{end:%H%M}"
    template = center.shifts_by_code.get(a.shift_code)
    if template is not None and a.hours != template.hours:
        text += f" ({a.hours:g} h)"
    if a.position != home:
        text += f" {tags.get(a.position, a.position)}"
    return text


def roster_grid(assignments: Iterable[Assignment], center: Center, rules: Rules, horizon: Horizon,
                holidays: Mapping[date, str] | None = None) -> Wall:
    """Employee x day: a shift's `code start-end` (24-hour local times; its real hours in brackets where a
    clock change makes them differ from the template's, its position where it is not the row's), the leave
    type on leave, blank when off; rows grouped by the position each works most, then by shift family."""
    shifts: dict[str, list[Assignment]] = {e.id: [] for e in center.staff}
    for a in assignments:
        shifts.setdefault(a.employee_id, []).append(a)
    days = [horizon.day(d) for d in range(horizon.days)]
    homes = {e.id: home_position(e, shifts[e.id], center) for e in center.staff}
    order = {p.id: i for i, p in enumerate(center.positions)}
    tags = position_tags(center)

    def family(a: Assignment) -> int:
        return rules.period(a.start.astimezone(horizon.tz).time())

    def sort_key(e: Employee):
        usual = Counter(family(a) for a in shifts[e.id]).most_common(1)
        return order.get(homes[e.id], len(order)), usual[0][0] if usual else len(FAMILIES), e.name, e.id

    rows, kinds = [], {}
    for i, e in enumerate(sorted(center.staff, key=sort_key)):
        home = homes[e.id]
        row = {"position": center.positions_by_id[home].name if home in order else home,
               "employee_id": e.id, "employee_name": e.name, "job_class": e.job_class}
        by_day = {a.day: a for a in shifts[e.id]}
        for d, day in enumerate(days):
            a = by_day.get(day)
            if a is None:
                text, kind = _leave_text(center, e, day)
            else:
                text = _shift_text(a, center, horizon, home, tags)
                kind = "training" if e.is_trainee else FAMILIES[family(a)]
            row[day_column(day)] = text
            if kind:
                kinds[i, day_column(day)] = kind
            if d % 7 == 6 or d == len(days) - 1:
                row[week_column(d // 7)] = sum(s.hours for s in shifts[e.id]
                                               if horizon.day_index(s.day) // 7 == d // 7)
        if horizon.weeks > 1:
            row["total hours"] = sum(s.hours for s in shifts[e.id])
        rows.append(row)
    notes = {day_column(day): ", ".join(filter(None, ((holidays or {}).get(day, ""),
                                                        clock_change(day, horizon)))) for day in days}
    notes = {column: note for column, note in notes.items() if note}
    return Wall(pd.DataFrame(rows), kinds, notes, _legend(center, rules, notes, tags),
                rules.center_name, f"{days[0]:%a %Y-%m-%d} to {days[-1]:%a %Y-%m-%d}")


def _leave_text(center: Center, employee: Employee, day: date) -> tuple[str, str]:
    """The leave type and its colour on a day off on leave; blank on a plain day off."""
    found = center.leave_on(employee.id, day)
    leave = found.type if found else ""
    return leave, ("training" if leave == TRAINING_LEAVE else "leave") if leave else ""


def _legend(center: Center, rules: Rules, notes: Mapping[str, str],
            tags: Mapping[str, str]) -> tuple[LegendRow, ...]:
    """Rows of (label, cells): each cell's text in its colour, a day column wide."""
    def ends(s) -> str:
        return f"{s.start:%H%M}-{datetime.combine(date(2000, 1, 3), s.start) + timedelta(hours=s.hours):%H%M}"
    shifts = sorted(center.shifts, key=lambda s: (rules.period(s.start), s.start, s.code))
    leave = sorted({lv.type for lv in center.leave} - {TRAINING_LEAVE})
    rows = [
        ("Shifts (day, evening, night)", tuple((FAMILIES[rules.period(s.start)], f"{s.code} {ends(s)}")
                                               for s in shifts)),
        ("Leave, training", (*(("leave", t) for t in leave), ("training", "trainee's shift"),
                             ("training", TRAINING_LEAVE))),
        ("Worked at another position", tuple(("", f"{tag} {p}") for p, tag in tags.items())),
        ("(9 h)", (("", "a shift's real hours where a clock change makes them differ from its template's"),)),
    ]
    if notes:
        rows.append(("Marked days", (("marked", "a holiday or a clock change, named in the day's header"),)))
    return tuple(rows)


PRINTABLE_POINTS = 11 * 72 - 2 * 0.7 * 72  # letter landscape, less Excel's default 0.7-inch side margins
PRINTABLE_HEIGHT = 8.5 * 72 - 2 * 0.75 * 72  # and its default 0.75-inch top and bottom margins
FIXED_WIDTHS = {"position": 18, "employee_id": 12, "job_class": 15}
GROUP_EDGE = Border(top=Side(style="medium"))


def dress(ws, wall: Wall) -> None:
    """Colours, marks, legend and page setup on the written Roster sheet: names and headers frozen, a filter,
    landscape, one page wide per week (a page break after each week's total, at the scale that fits the
    widest week's page, and its rows too where that costs little: a fit-to-pages scale would make
    spreadsheets ignore the breaks), the header row and
    the position, id and name columns on every page, gridlines, the title and page numbers."""
    frame = wall.frame
    if frame.empty:
        return
    column_of = {name: i for i, name in enumerate(frame.columns, start=1)}
    _paint(ws, wall, column_of)
    for name, i in column_of.items():
        width = FIXED_WIDTHS.get(name, DAY_WIDTH if name not in FIXED else None)
        if width is not None:
            ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[1].height = 30
    for cell in ws[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(2, len(FIXED) + 1).coordinate
    ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    _write_legend(ws, wall, len(frame) + 3, column_of)
    last_row = len(frame) + 2 + legend_rows(wall, len(_week_columns(column_of)[0]))
    ws.print_area = f"A1:{get_column_letter(len(frame.columns))}{last_row}"
    _page_setup(ws, frame, column_of, wall.title, last_row)


def _paint(ws, wall: Wall, column_of: Mapping[str, int]) -> None:
    fills = {kind: PatternFill("solid", fgColor=colour) for kind, colour in FILLS.items()}
    for (row, column), kind in wall.kinds.items():
        ws.cell(row + 2, column_of[column]).fill = fills[kind]
    for column in wall.notes:
        cell = ws.cell(1, column_of[column])
        cell.value, cell.fill = header(column, wall.notes), fills["marked"]
    day_columns = [i for name, i in column_of.items() if name not in FIXED and "hours" not in name]
    for r in range(2, len(wall.frame) + 2):  # a long cell wraps to a second line
        if any(len(str(ws.cell(r, i).value or "")) > DAY_WIDTH - 1 for i in day_columns):
            ws.row_dimensions[r].height = 30
            for i in day_columns:
                ws.cell(r, i).alignment = Alignment(wrap_text=True, vertical="top")
    groups = wall.frame["position"].tolist()
    for r, (before, here) in enumerate(itertools.pairwise(groups), start=3):
        if before != here:
            for i in column_of.values():
                ws.cell(r, i).border = GROUP_EDGE


def _write_legend(ws, wall: Wall, first_row: int, column_of: Mapping[str, int]) -> None:
    """The legend under the grid, its cells repeated in each week's day columns so each page has one."""
    fills = {kind: PatternFill("solid", fgColor=colour) for kind, colour in FILLS.items()}
    weeks = _week_columns(column_of)
    row = first_row
    ws.cell(row, 3, LEGEND).font = Font(bold=True)
    for label, cells in wall.legend:
        for start in range(0, len(cells), len(weeks[0])):
            row += 1
            ws.cell(row, 3, label if start == 0 else "")
            for columns in weeks:
                for column, (kind, text) in zip(columns, cells[start:start + len(columns)], strict=False):
                    cell = ws.cell(row, column, text)
                    cell.data_type = "s"
                    if kind:
                        cell.fill = fills[kind]


def _week_columns(column_of: Mapping[str, int]) -> list[list[int]]:
    """Each week's day columns and its total, in order."""
    weeks, current = [], []
    for name, i in column_of.items():
        if name in FIXED or name == "total hours":
            continue
        current.append(i)
        if name.startswith("week "):
            weeks.append(current)
            current = []
    return weeks


def legend_rows(wall: Wall, days_a_week: int) -> int:
    return 1 + sum(-(-len(cells) // days_a_week) for _, cells in wall.legend)


def _page_setup(ws, frame: pd.DataFrame, column_of: Mapping[str, int], title: str, last_row: int) -> None:
    weeks = [column_of[name] for name in frame.columns if name.startswith("week ")]
    fixed = list(range(1, len(FIXED) + 1))
    pages, first = [], len(FIXED) + 1
    for end in weeks:
        pages.append([*(fixed if not pages else fixed[:3]), *range(first, end + 1)])
        first = end + 1
    pages[-1].extend(range(first, len(frame.columns) + 1))  # the plan's total prints with the last week

    def points(columns) -> float:  # a width in characters of about 7 pixels; 4/3 pixels a point
        widths = (ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in columns)
        return sum((7 * width + 5) * 0.75 for width in widths)
    # 0.7: LibreOffice printed the sample week wider than the nominal 7 pixels a character (0.8 split it)
    ws.page_setup.orientation = "landscape"
    across = 0.7 * PRINTABLE_POINTS / max(map(points, pages))
    # Down: the grid and its legend (rows of 15 points unless set) on one page when that costs at most a
    # quarter of the width's scale (0.9: LibreOffice's rows ran a little taller); a larger center goes on.
    tall = sum(ws.row_dimensions[r].height or 15 for r in range(1, last_row + 1))
    down = 0.9 * PRINTABLE_HEIGHT / tall
    scale = min(across, down) if down >= 0.75 * across else across
    ws.page_setup.scale = max(10, min(100, int(100 * scale)))
    for end in weeks[:-1]:
        ws.col_breaks.append(Break(id=end))
    ws.print_title_rows, ws.print_title_cols = "1:1", "A:C"
    ws.print_options.gridLines = True
    ws.oddHeader.left.text = title.replace("&", "&&")
    ws.oddHeader.right.text = "printed &D"
    ws.oddFooter.center.text = "Page &P of &N"


POSTING_WIDTHS = {"date": 11, "weekday": 8, "shift_code": 10, "position_name": 20, "employee_id": 16}


def for_posting(ws, wall: Wall) -> None:
    """Sheet Open shifts set up to post for sign-up: the header frozen and printed on every page, a filter,
    landscape, one page wide (no manual breaks here, so fit-to-width holds), gridlines, a wide `employee_id`
    column to write in, the center and plan in the page header."""
    if ws.max_row < 1 or ws.max_column < 1:
        return
    header = [cell.value for cell in ws[1]]
    for name, width in POSTING_WIDTHS.items():
        if name in header:
            ws.column_dimensions[get_column_letter(header.index(name) + 1)].width = width
    ws.auto_filter.ref = ws.dimensions
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    if wall.center:
        ws.oddHeader.left.text = f"{wall.center}: open shifts {wall.period}".replace("&", "&&")
    ws.oddHeader.right.text = "Sign up: write your employee id in the row"
    ws.oddFooter.center.text = "Page &P of &N"
