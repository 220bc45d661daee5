"""Forecast charts (scheduler.plots): a PNG that matplotlib wrote, of the documented size, written
atomically."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pandas as pd
import pytest

from scheduler import plots
from scheduler.plots import plot_forecast

NY = "America/New_York"


def history_and_forecast(streams=("911_fire_ems", "911_police"), start="2016-10-16 04:00", weeks=4):
    """`weeks` of hourly history then one forecast week (over the 2016-11-06 fall-back night for the
    defaults)."""
    hours = pd.date_range(pd.Timestamp(start, tz="UTC"), periods=weeks * 168, freq="h")
    shape = 8 + 6 * np.sin(np.arange(len(hours)) * 2 * np.pi / 24)
    rng = np.random.default_rng(1)
    history = pd.DataFrame({s: rng.poisson(shape * (i + 1)) for i, s in enumerate(streams)}, index=hours)
    ahead = pd.date_range(hours[-1] + pd.Timedelta(hours=1), periods=169, freq="h")
    base = 8 + 6 * np.sin(np.arange(len(ahead)) * 2 * np.pi / 24)
    columns = {}
    for i, s in enumerate(streams):
        columns[s, "p50"] = base * (i + 1)
        columns[s, "p90"] = base * (i + 1) + 1.28 * np.sqrt(base * (i + 1))
    forecast = pd.DataFrame(columns, index=ahead)
    forecast.columns = pd.MultiIndex.from_tuples(forecast.columns)
    return history, forecast


def png_chunks(data: bytes) -> dict[bytes, list[bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, list[bytes]] = {}
    at = 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks.setdefault(kind, []).append(body)
        at += 12 + length
    return chunks


@pytest.mark.parametrize("streams", [("911_fire_ems", "911_police"), ("calls",)])
def test_plot_forecast_writes_a_matplotlib_png_of_the_documented_size(tmp_path, streams):
    history, forecast = history_and_forecast(streams)
    path = tmp_path / "charts" / "forecast.png"  # the folder is created
    out = plot_forecast(history, forecast, path, timezone=NY, title="Montgomery County: calls per hour")
    assert out == path
    data = path.read_bytes()
    chunks = png_chunks(data)
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert (width, height) == (int(plots.WIDTH * plots.DPI),
                               round((plots.PANEL_HEIGHT * len(streams) + 0.6) * plots.DPI))
    assert depth == 8 and colour in (2, 6)  # 8-bit RGB(A)
    assert chunks[b"IEND"] == [b""]
    text = b"".join(chunks.get(b"tEXt", []))
    assert b"matplotlib version" in text
    assert len(data) > 20_000  # lines, band, labels: not a blank canvas
    assert [p.name for p in path.parent.iterdir()] == ["forecast.png"]  # no temporary file left behind


def test_plot_does_not_change_the_process_backend(tmp_path):
    import matplotlib

    before = matplotlib.get_backend()
    history, forecast = history_and_forecast()
    plot_forecast(history, forecast, tmp_path / "f.png", timezone=NY, title="t")
    assert matplotlib.get_backend() == before


def test_plot_without_history_for_a_stream_still_draws_the_forecast(tmp_path):
    history, forecast = history_and_forecast()
    plot_forecast(history[["911_police"]], forecast, tmp_path / "f.png", timezone=NY, title="t",
                  history_weeks=1)
    assert (tmp_path / "f.png").stat().st_size > 10_000


def test_plot_rejects_a_forecast_without_p50_and_p90(tmp_path):
    history, forecast = history_and_forecast()
    with pytest.raises(TypeError, match="MultiIndex"):
        plot_forecast(history, forecast.droplevel(1, axis=1).iloc[:, :1], tmp_path / "f.png", timezone=NY,
                      title="t")
    with pytest.raises(ValueError, match="p50 and p90"):
        plot_forecast(history, forecast.drop(columns=[("911_police", "p90")]), tmp_path / "f.png",
                      timezone=NY,
                      title="t")
    assert not (tmp_path / "f.png").exists()


def test_plot_shows_the_backtests_past_forecasts_over_the_actual_calls(tmp_path):
    from matplotlib.image import imread

    history, forecast = history_and_forecast(weeks=4)
    history.iloc[100:130] = np.nan  # a gap in the log: drawn as a break, not a drop to 0
    past = forecast.iloc[:168].set_axis(history.index[-168:])  # last week's forecast, over its actual calls
    orange = np.array([int(plots.PAST_COLOR[i:i + 2], 16) / 255 for i in (1, 3, 5)])

    def orange_pixels(path):
        rgb = imread(path)[:, :, :3]
        return int((np.abs(rgb - orange).max(axis=2) < 0.02).sum())

    plot_forecast(history, forecast, tmp_path / "plain.png", timezone=NY, title="t")
    plot_forecast(history, forecast, tmp_path / "past.png", timezone=NY, title="t", past=past)
    assert orange_pixels(tmp_path / "plain.png") == 0
    assert orange_pixels(tmp_path / "past.png") > 500  # the past forecasts' line in both panels
