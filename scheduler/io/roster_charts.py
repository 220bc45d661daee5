"""Sheet Charts of a roster or staffing workbook: hour by hour, per position its seats (required and
scheduled in a roster, floor and required in a requirement table), per call-taking queue the simulated share
of calls answered within the first service target beside the target, with a native Excel line chart of each
position and one of service."""

from __future__ import annotations

import pandas as pd
from openpyxl.chart import LineChart, Reference
from openpyxl.utils import get_column_letter

CHART_ROWS = 16  # rows each chart takes, stacked to the right of the table


def chart_table(coverage: pd.DataFrame, service: pd.DataFrame, target: tuple[float, float] | None,
                seats: tuple[str, ...] = ("required", "scheduled")) -> pd.DataFrame:
    """The Charts sheet's table (empty when the coverage has no hours: a draft's report sheets): the `seats`
    columns of each position (`<position> <column>`), then each queue's share. Each position's rows, like
    each queue's, are the plan's hours in order."""
    if coverage.empty or not {"start", "position", *seats} <= set(coverage.columns):
        return pd.DataFrame()
    hours = coverage[coverage["position"] == coverage["position"].iloc[0]]
    table = {name: hours[name].to_numpy() for name in ("start", "start_utc_offset") if name in hours.columns}
    for position, rows in coverage.groupby("position", sort=False):
        for column in seats:
            table[f"{position} {column}"] = rows[column].to_numpy()
    column = f"answered_within_{target[0]:g}s" if target else ""
    if target and len(service) and column in service.columns:
        for queue, rows in service.groupby("position", sort=False):
            table[f"{queue} within {target[0]:g} s"] = rows[column].to_numpy()
        table["target"] = [target[1]] * len(hours)
    return pd.DataFrame(table)


def add_charts(wb) -> None:
    """A line chart per position (its seat columns) and one of service, beside sheet Charts' table."""
    if "Charts" not in wb.sheetnames or wb["Charts"].max_row < 2:
        return
    ws = wb["Charts"]
    header = [str(cell.value) for cell in ws[1]]
    last, anchor = ws.max_row, get_column_letter(len(header) + 2)
    hours = Reference(ws, min_col=1, min_row=2, max_row=last)
    positions: dict[str, list[int]] = {}
    for number, name in enumerate(header, start=1):
        if name not in ("start", "start_utc_offset", "target") and " within " not in name:
            positions.setdefault(name.rsplit(" ", 1)[0], []).append(number)
    groups = [(f"{position}: seats {' and '.join(header[c - 1].rsplit(' ', 1)[1] for c in columns)}", "seats",
               columns) for position, columns in positions.items()]
    shares = [i + 1 for i, name in enumerate(header) if " within " in name or name == "target"]
    if shares:
        groups.append(("Simulated share of calls answered in time, by queue", "share", shares))
    for number, (title, axis, columns) in enumerate(groups):
        chart = LineChart()
        chart.title, chart.y_axis.title, chart.x_axis.title = title, axis, "hour"
        chart.height, chart.width = 7.5, 24
        chart.x_axis.number_format = "ddd hh:mm"
        if axis == "share":
            chart.y_axis.number_format = "0%"
        for column in columns:
            chart.add_data(Reference(ws, min_col=column, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(hours)
        ws.add_chart(chart, f"{anchor}{1 + number * CHART_ROWS}")
