"""Charts as PNG files, written atomically (the folder made if need be).

Figures are drawn on matplotlib's Agg canvas directly (no pyplot): no display is needed and the process-wide
backend of a caller (a notebook, say) is left alone."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from scheduler.io.tables import atomic_write

PANEL_HEIGHT = 2.8  # inches per stream
WIDTH = 12.0  # inches
DPI = 100
HISTORY_COLOR = "#4d4d4d"
FORECAST_COLOR = "#1f6fb4"
PAST_COLOR = "#d9822b"
SOFTWARE = f"matplotlib version {matplotlib.__version__}, scheduler.plots"


def plot_forecast(history: pd.DataFrame, forecast: pd.DataFrame, path: Path, *, timezone: str, title: str,
                  history_weeks: int = 3, past: pd.DataFrame | None = None) -> Path:
    """One panel per stream: the last `history_weeks` of actual hourly calls (from the first backtest week
    when `past` is given, with the backtest's past forecasts over them), then the forecast median (p50) with
    a band up to the 90th percentile (p90), in local time. Writes a PNG of WIDTH x (PANEL_HEIGHT x streams +
    0.6) inches at DPI and returns `path`.

    history: hourly counts, tz-aware UTC index, one column per stream (CallHistory.counts; NaN: missing).
    forecast, past: tz-aware UTC hourly index, columns MultiIndex (stream, "p50" | "p90").
    """
    if not isinstance(forecast.columns, pd.MultiIndex):
        raise TypeError("forecast columns must be a MultiIndex (stream, 'p50' | 'p90')")
    streams = list(dict.fromkeys(forecast.columns.get_level_values(0)))
    if not streams:
        raise ValueError("the forecast has no stream")
    missing = [s for s in streams if (s, "p50") not in forecast.columns or (s, "p90") not in forecast.columns]
    if missing:
        raise ValueError(f"forecast needs p50 and p90 columns for {', '.join(map(str, missing))}")

    history_local = history.tz_convert(timezone) if len(history) else history
    forecast_local = forecast.sort_index().tz_convert(timezone)
    past_local = past.sort_index().tz_convert(timezone) if past is not None and len(past) else None
    if len(history_local):
        start = history_local.index.max() - pd.Timedelta(weeks=history_weeks)
        if past_local is not None:
            start = min(start, past_local.index[0] - pd.Timedelta(hours=1))
        history_local = history_local[history_local.index > start]

    figure = Figure(figsize=(WIDTH, PANEL_HEIGHT * len(streams) + 0.6), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(len(streams), 1, sharex=True, squeeze=False)[:, 0]
    for ax, stream in zip(axes, streams, strict=True):
        actual = history_local[stream] if stream in history_local.columns else pd.Series(dtype=float)
        if len(actual):
            ax.plot(actual.index, actual, color=HISTORY_COLOR, linewidth=0.8,
                    label="actual calls" if past_local is not None else
                    f"actual calls (last {history_weeks} weeks)")
        top = _draw_past(ax, past_local, stream) if past_local is not None else 0.0
        p50 = forecast_local[(stream, "p50")]
        p90 = forecast_local[(stream, "p90")]
        ax.fill_between(forecast_local.index, p50, p90, step=None, color=FORECAST_COLOR, alpha=0.25,
                        linewidth=0, label="forecast p50 to p90")
        ax.plot(forecast_local.index, p50, color=FORECAST_COLOR, linewidth=1.4, label="forecast p50 (median)")
        if len(forecast_local):
            ax.axvline(forecast_local.index[0], color="#999999", linestyle=":", linewidth=1)
        ax.set_title(str(stream), loc="left", fontsize=10)
        ax.set_ylabel("calls per hour")
        top = max([float(v) for v in (p90.max(), p50.max(), actual.max()) if pd.notna(v)] + [top, 1.0])
        ax.set_ylim(0, top * 1.25)  # headroom for the legend
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=3)
    bottom = axes[-1]
    shown = [i for i in (history_local.index, forecast_local.index) if len(i)]
    days = (max(i.max() for i in shown) - min(i.min() for i in shown)) / pd.Timedelta(days=1) if shown else 1
    bottom.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, math.ceil(days / 14)), tz=timezone))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%a\n%b %d", tz=timezone))
    bottom.set_xlabel(f"local time ({timezone})")
    figure.suptitle(title)

    atomic_write(path, lambda target: figure.savefig(target, format="png", metadata={"Software": SOFTWARE}))
    return path


def _draw_past(ax, past: pd.DataFrame, stream: str) -> float:
    """The backtest's past forecasts (p50 and the band to p90) over the actual calls; their top value."""
    p50, p90 = past[(stream, "p50")], past[(stream, "p90")]
    ax.fill_between(past.index, p50, p90, color=PAST_COLOR, alpha=0.18, linewidth=0)
    ax.plot(past.index, p50, color=PAST_COLOR, linewidth=1.0, label="backtest: past forecasts p50 to p90")
    return float(p90.max())


def service_chart(service: pd.DataFrame, *, title: str, target: float, ylabel: str) -> Callable[[Path], None]:
    """A line per scenario (columns) of service by period (index, dates), with the target as a dashed line:
    a writer of the PNG (io.tables.Writer), so that it is written in one set with the tables it draws."""
    figure = Figure(figsize=(WIDTH, 5.0), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for scenario in service.columns:
        axes.plot(pd.to_datetime(service.index), 100 * service[scenario], marker="o", label=str(scenario))
    axes.axhline(100 * target, color=HISTORY_COLOR, linestyle="--", linewidth=1,
                 label=f"target {100 * target:g}%")
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")  # beside the lines
    figure.tight_layout()
    return lambda path: figure.savefig(path, format="png", metadata={"Software": SOFTWARE})
