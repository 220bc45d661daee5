"""Sheet Charts of a roster workbook: hour by hour, per position the seats required and scheduled (sheet
Coverage), per call-taking queue the simulated share of calls answered within the first service target
(sheet Service) beside the target, with a native Excel line chart of each position and one of service."""

from __future__ import annotations

import pandas as pd
from openpyxl.chart import LineChart, Reference
from openpyxl.utils import get_column_letter

CHART_ROWS = 16  # rows each chart takes, stacked to the right of the table


def chart_table(coverage: pd.DataFrame, service: pd.DataFrame, target: tuple[float, float] | None
                ) -> pd.DataFrame:
    """The Charts sheet's table (empty when the coverage has no hours: a draft's report sheets). Each
    position's rows, like each queue's, are the plan's hours in order."""
    if coverage.empty or not {"start", "start_utc_offset", "position", "required", "scheduled"} <= set(
            coverage.columns):
        return pd.DataFrame()
    hours = coverage[coverage["position"] == coverage["position"].iloc[0]]
    table = {"start": hours["start"].to_numpy(), "start_utc_offset": hours["start_utc_offset"].to_numpy()}
    for position, rows in coverage.groupby("position", sort=False):
        table[f"{position} required"] = rows["required"].to_numpy()
        table[f"{position} scheduled"] = rows["scheduled"].to_numpy()
    column = f"answered_within_{target[0]:g}s" if target else ""
    if target and len(service) and column in service.columns:
        for queue, rows in service.groupby("position", sort=False):
            table[f"{queue} within {target[0]:g} s"] = rows[column].to_numpy()
        table["target"] = [target[1]] * len(hours)
    return pd.DataFrame(table)


def add_charts(wb) -> None:
    """A line chart per position (required and scheduled) and one of service, beside sheet Charts' table."""
    if "Charts" not in wb.sheetnames or wb["Charts"].max_row < 2:
        return
    ws = wb["Charts"]
    header = [cell.value for cell in ws[1]]
    last, anchor = ws.max_row, get_column_letter(len(header) + 2)
    hours = Reference(ws, min_col=1, min_row=2, max_row=last)
    groups = [(f"{name.removesuffix(' required')}: seats required and scheduled", "seats",
               [header.index(name) + 1, header.index(name) + 2])
              for name in header if str(name).endswith(" required")]
    shares = [i + 1 for i, name in enumerate(header) if " within " in str(name) or name == "target"]
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
