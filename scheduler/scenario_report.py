"""The scenario comparison as files: the CSV (one row per scenario and period), a workbook with the same
table, service by period per scenario and a native Excel line chart of it, and a PNG of the chart. Writers
only (io.tables.Writer): the caller writes the set all or nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl.chart import LineChart, Reference
from openpyxl.workbook import Workbook

from scheduler.io.tables import Writer, csv_writer, workbook_writer
from scheduler.plots import service_chart

SERVICE_SHEET = "Service"


def service_by_period(table: pd.DataFrame) -> pd.DataFrame:
    """Period x scenario: the share of 9-1-1 calls answered within the first target (empty where a period has
    no roster), scenarios in the file's order."""
    order = list(dict.fromkeys(table["scenario"]))
    pivot = table.pivot(index="period_start", columns="scenario", values="service_level")[order]
    pivot.index = pd.to_datetime(pivot.index).date
    pivot.index.name = "period_start"
    return pivot


def _add_chart(title: str, periods: int, scenarios: int):
    def finish(wb: Workbook) -> None:
        sheet = wb[SERVICE_SHEET]
        chart = LineChart()
        chart.title = title
        chart.y_axis.title = "share of 9-1-1 calls"
        chart.y_axis.number_format = "0%"
        chart.x_axis.title = "week of"
        chart.x_axis.number_format = "mmm yyyy"
        chart.height, chart.width = 9, 22
        chart.add_data(Reference(sheet, min_col=2, max_col=1 + scenarios, min_row=1, max_row=1 + periods),
                       titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=1 + periods))
        sheet.add_chart(chart, f"{chr(ord('A') + scenarios + 2)}2")
    return finish


def comparison_writers(table: pd.DataFrame, csv: Path, workbook: Path, png: Path, *, seconds: float,
                       target: float) -> dict[Path, Writer]:
    """The three files of a comparison, keyed by path. `seconds` and `target`: the first service target."""
    service = service_by_period(table)
    title = f"Share of 9-1-1 calls answered within {seconds:g} s, by scenario"
    return {
        csv: csv_writer(table),
        workbook: workbook_writer({"Comparison": table, SERVICE_SHEET: service.reset_index()},
                                  finish=_add_chart(title, len(service), len(service.columns))),
        png: service_chart(service, title=title, target=target, ylabel="% within target (simulated)"),
    }
