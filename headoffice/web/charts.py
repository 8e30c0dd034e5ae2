"""Bar charts drawn on the server as SVG (templates/_bar_chart.html): the geometry is worked
out here, in whole units of the chart's viewBox, so the template only draws and a test can
read the bars. No library, nothing from a CDN: the figures are also written as text beside
each bar (or in the chart's table) for whoever reads rather than looks."""

from dataclasses import dataclass

WIDTH = 720
LABEL_WIDTH = 110  # the horizontal chart's labels, left of the bars
VALUE_WIDTH = 110  # … and its amounts, right of them
ROW = 22  # a horizontal bar's height with its gap
COLUMN_HEIGHT = 160  # the vertical chart's tallest bar
AXIS = 18  # room under the vertical bars for a few dates


@dataclass(frozen=True)
class Bar:
    label: str
    value: int  # cents
    x: int
    y: int
    width: int
    height: int
    tick: bool = False  # the vertical chart names only a few of its dates


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    horizontal: bool


def _length(value: int, largest: int, room: int) -> int:
    """A bar's length: in proportion, at least 1 unit for any sale so it shows, 0 for none
    (or for a negative amount, which the text beside it says)."""
    if value <= 0 or largest <= 0:
        return 0
    return max(1, value * room // largest)


def horizontal(title: str, items: list[tuple[str, int]]) -> Chart:
    """One bar a line (sales per register)."""
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    largest = max((value for _label, value in items), default=0)
    bars = [
        Bar(label, value, LABEL_WIDTH, n * ROW, _length(value, largest, room), ROW - 6)
        for n, (label, value) in enumerate(items)
    ]
    return Chart(title, bars, WIDTH, max(ROW, len(items) * ROW), horizontal=True)


def vertical(title: str, items: list[tuple[str, int]], ticks: int = 7) -> Chart:
    """One column a day (sales per day over a period): up to 366 columns in the same width,
    a date named under the first column and every len/ticks after."""
    count = max(1, len(items))
    step = WIDTH // count if count <= WIDTH else 1
    gap = 1 if step > 3 else 0
    every = max(1, -(-count // ticks))
    largest = max((value for _label, value in items), default=0)
    bars = []
    for n, (label, value) in enumerate(items):
        height = _length(value, largest, COLUMN_HEIGHT)
        bars.append(Bar(label, value, n * step, COLUMN_HEIGHT - height, step - gap, height, n % every == 0))
    return Chart(title, bars, WIDTH, COLUMN_HEIGHT + AXIS, horizontal=False)
