"""One printed document as a list of elements, rendered to ESC/POS bytes for the printer and
to plain text for the screens, from the same layout (python-escpos's "one layout, many
backends").

Text is padded here, not aligned by the printer, so the paper and the preview line up
character for character; only bold and double size are left to the printer."""

import textwrap
from dataclasses import dataclass

from escpos.printer import Dummy

# CP858 is CP850 with the euro sign (byte 0xD5): forced after every init, because on
# automatic python-escpos picks another table and another byte for "€".
CODEPAGE = "CP858"

# The French amounts use no-break spaces; the printer has one column per character anyway,
# and the narrow one (U+202F) is not in CP858.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})
# Typography CP858 lacks, on paper only (the preview keeps it; one character for one, so
# both still line up): a dash would print "?" (FACTICE — MODE ÉCOLE), the box-drawing
# line is in CP858 and looks the same.
_PAPER = str.maketrans(
    {"\u2014": "\u2500", "\u2013": "-", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}
)


def columns_for(paper_mm: int, forced: int | None = None) -> int:
    if forced:
        return int(forced)
    return 32 if int(paper_mm) <= 58 else 48


@dataclass(frozen=True)
class Line:
    text: str = ""
    align: str = "left"  # left | center | right
    bold: bool = False
    double: bool = False  # double width and height: half as many columns


@dataclass(frozen=True)
class Row:
    """A label on the left, an amount on the right; a long label wraps above the amount."""

    left: str
    right: str
    bold: bool = False
    double: bool = False


@dataclass(frozen=True)
class Separator:
    char: str = "-"


@dataclass(frozen=True)
class Barcode:
    """An EAN-13 printed as bars (its digits below); on screens, the digits alone."""

    code: str


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    pass


@dataclass(frozen=True)
class Kick:
    pin: int = 2


class Document(list):
    """Elements in printing order."""

    def line(self, text="", **style):
        self.append(Line(_clean(text), **style))
        return self

    def row(self, left, right, **style):
        self.append(Row(_clean(left), _clean(right), **style))
        return self

    def separator(self, char="-"):
        self.append(Separator(char))
        return self


def _clean(text) -> str:
    return str(text if text is not None else "").translate(_SPACES)


def _width(element, columns: int) -> int:
    return columns // 2 if getattr(element, "double", False) else columns


def _layout(element, columns: int) -> list[str]:
    """The text lines of one element, each at most its width."""
    width = _width(element, columns)
    if isinstance(element, Separator):
        return [element.char * columns]
    if isinstance(element, Feed):
        return [""] * element.lines
    if isinstance(element, Barcode):
        return [_align(element.code, columns, "center")]
    if isinstance(element, Line):
        if not element.text:
            return [""]
        lines = []
        for paragraph in element.text.split("\n"):
            lines.extend(textwrap.wrap(paragraph, width) or [""])
        return [_align(text, width, element.align) for text in lines]
    if isinstance(element, Row):
        right = element.right[:width]
        room = width - len(right) - 1
        wrapped = textwrap.wrap(element.left, max(room, 1)) or [""]
        if len(wrapped[-1]) > room:
            wrapped.append("")
        last = wrapped.pop()
        return wrapped + [last + " " * (width - len(last) - len(right)) + right]
    return []


def _align(text: str, width: int, align: str) -> str:
    if align == "center":
        return text.center(width).rstrip()
    if align == "right":
        return text.rjust(width)
    return text


def to_text(document: Document, columns: int) -> str:
    """What the receipt says, for screens and tests: one line of paper per line of text.
    A double-size line takes the whole width on paper, so the preview centres it."""
    out = []
    for element in document:
        for text in _layout(element, columns):
            if getattr(element, "double", False):
                text = text.strip().center(columns).rstrip()
            out.append(text)
        if isinstance(element, Cut):
            out.append("✂" + "-" * (columns - 1))
    return "\n".join(out) + "\n"


def init(printer: Dummy) -> None:
    printer.hw("INIT")
    # The init resets the printer to its own code page; python-escpos only sends ESC t
    # when it believes the table changed, so make it forget.
    printer.magic.encoding = None
    printer.charcode(CODEPAGE)


def to_escpos(document: Document, columns: int, profile: str | None = None) -> bytes:
    printer = Dummy(profile=profile)
    init(printer)
    for element in document:
        if isinstance(element, Cut):
            printer.cut()
            continue
        if isinstance(element, Kick):
            printer.cashdraw(element.pin)
            continue
        if isinstance(element, Barcode):
            printer.barcode(element.code, "EAN13", height=64, width=2, pos="BELOW", align_ct=True)
            printer.set(align="left")
            continue
        styled = isinstance(element, (Line, Row)) and (element.bold or element.double)
        if styled:
            printer.set(bold=element.bold, double_width=element.double, double_height=element.double)
        for text in _layout(element, columns):
            printer.textln(text.translate(_PAPER))
        if styled:
            printer.set(bold=False, normal_textsize=True)
    return printer.output
