"""Horizontal bar charts as plain geometry, for templates to draw as inline SVG.

Supervisors would rather look than read, but a chart must not need JavaScript or an outside
address, and must not say anything by colour alone: each series has a fill pattern as well as a
colour, every bar carries its number as text, and the template puts the same figures in a table.
"""

from dataclasses import dataclass, field

LABEL_WIDTH = 240  # room for a station or service name left of the bars
BAR_AREA = 420
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP = 8


@dataclass
class Series:
    key: str
    label: str
    pattern: str  # "solid", "hatch" or "dots": see admin/_charts.html


@dataclass
class Chart:
    title: str
    series: list
    rows: list = field(default_factory=list)  # [{"label", "y", "total", "segments": [...]}]
    width: int = LABEL_WIDTH + BAR_AREA + 60
    height: int = 0
    maximum: float = 0
    unit: str = ""


def bar_chart(title, series, rows, maximum=None, unit=""):
    """rows: [(label, {series key: value})] → a Chart whose segments have x, width and value.

    The scale is the largest row total (or `maximum`, for a fixed scale such as 100 %); a row of
    zeros draws no segment but keeps its label and its "0"."""
    totals = [sum(values.get(s.key, 0) for s in series) for _, values in rows]
    top = maximum if maximum is not None else max(totals, default=0)
    chart = Chart(title=title, series=series, maximum=top, unit=unit)
    for index, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
        y = TOP + index * ROW_HEIGHT
        x = LABEL_WIDTH
        segments = []
        for s in series:
            value = values.get(s.key, 0)
            if value <= 0 or top <= 0:
                continue
            width = BAR_AREA * value / top
            segments.append({"series": s, "x": x, "width": width, "value": value})
            x += width
        chart.rows.append({"label": label, "y": y, "total": total, "end": x, "segments": segments})
    chart.height = TOP * 2 + max(len(rows), 1) * ROW_HEIGHT
    return chart
