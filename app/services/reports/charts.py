"""Bar charts drawn on the server as SVG (templates/reports/_chart.html): sales by hour and
by payment method. The geometry is worked out here, in whole SVG units; the template only
places it. No library and nothing fetched: the kiosk is offline. Every chart carries its
title, a description and its figures as text (a table beside the drawing)."""

from dataclasses import dataclass

from app.money import format_euros

WIDTH = 720
COLUMNS_HEIGHT = 200
ROW_HEIGHT = 34
LABEL_WIDTH = 170  # the method names, left of the bars
VALUE_WIDTH = 120  # the amounts, right of the bars
FIRST_HOUR, LAST_HOUR = 8, 19


@dataclass(frozen=True)
class Bar:
    label: str
    value_cents: int
    count: int
    x: int
    y: int
    width: int
    height: int

    @property
    def amount(self) -> str:
        return format_euros(self.value_cents)


@dataclass(frozen=True)
class Chart:
    key: str  # an id for the SVG's title and description
    title: str
    description: str
    shape: str  # "columns" (hours) or "rows" (methods)
    bars: list
    width: int
    height: int
    count_label: str

    @property
    def empty(self) -> bool:
        return not any(bar.value_cents for bar in self.bars)


def _scale(value: int, largest: int, room: int) -> int:
    return round(max(value, 0) * room / largest) if largest > 0 else 0


def hours_chart(hours: dict[int, tuple[int, int]], title: str, count_label: str) -> Chart:
    """One column per hour of the shop's usual day (8 h to 19 h), wider when sales were made
    outside it: a lone hour drawn alone would fill the whole chart."""
    shown = range(min(*hours, FIRST_HOUR), max(*hours, LAST_HOUR) + 1) if hours else range(0)
    largest = max((cents for _count, cents in hours.values()), default=0)
    slot = WIDTH // max(len(shown), 1)
    room = COLUMNS_HEIGHT - 30  # the hour labels under the bars
    bars = []
    for index, hour in enumerate(shown):
        count, cents = hours.get(hour, (0, 0))
        height = _scale(cents, largest, room)
        bars.append(
            Bar(f"{hour} h", cents, count, index * slot + slot // 8, room - height, slot * 3 // 4, height)
        )
    best = max(bars, key=lambda bar: bar.value_cents, default=None)
    description = f"{best.label} : {best.amount}" if best is not None and best.value_cents > 0 else ""
    return Chart("hours", title, description, "columns", bars, WIDTH, COLUMNS_HEIGHT, count_label)


def methods_chart(methods, title: str, count_label: str) -> Chart:
    """One row per payment method that took money from sales."""
    paid = [m for m in methods if m.sales_cents > 0]
    largest = max((m.sales_cents for m in paid), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        Bar(
            m.name,
            m.sales_cents,
            m.payment_count,
            LABEL_WIDTH,
            index * ROW_HEIGHT + 4,
            max(_scale(m.sales_cents, largest, room), 1),
            ROW_HEIGHT - 10,
        )
        for index, m in enumerate(paid)
    ]
    description = ", ".join(f"{bar.label} {bar.amount}" for bar in bars)
    return Chart(
        "methods", title, description, "rows", bars, WIDTH, max(len(bars), 1) * ROW_HEIGHT, count_label
    )
