"""Turns ESC/POS bytes back into what a person would read on the paper and the commands the
printer obeyed, so tests can say "the receipt says 16,40 €, cuts once, kicks the drawer once".
It knows the commands python-escpos sends for Comptoir's layouts and fails on anything else."""

from dataclasses import dataclass, field

ESC, GS, DLE = 0x1B, 0x1D, 0x10
CODEPAGES = {0: "cp437", 2: "cp850", 16: "cp1252", 19: "cp858"}


@dataclass
class Printout:
    lines: list[str] = field(default_factory=list)
    commands: list[tuple] = field(default_factory=list)  # ("init",), ("codepage", 19), ("cut", 0) …

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def count(self, name: str) -> int:
        return sum(1 for command in self.commands if command[0] == name)

    def names(self) -> list[str]:
        return [command[0] for command in self.commands]


def decode(data: bytes) -> Printout:
    out = Printout()
    codepage, pending, i = None, bytearray(), 0

    def flush_text():
        if pending:
            if codepage is None:
                raise AssertionError("text sent before any code page was selected")
            out.commands.append(("text", pending.decode(codepage)))
            current.append(pending.decode(codepage))
            pending.clear()

    current: list[str] = []
    while i < len(data):
        byte = data[i]
        if byte == 0x0A:
            flush_text()
            out.lines.append("".join(current))
            current.clear()
            i += 1
        elif byte == ESC:
            flush_text()
            op = data[i + 1]
            if op == ord("@"):
                out.commands.append(("init",))
                codepage = None  # the printer falls back to its own table
                i += 2
            elif op == ord("t"):
                if data[i + 2] not in CODEPAGES:
                    raise AssertionError(f"unknown code page {data[i + 2]}")
                codepage = CODEPAGES[data[i + 2]]
                out.commands.append(("codepage", data[i + 2]))
                i += 3
            elif op == ord("d"):
                out.commands.append(("feed", data[i + 2]))
                out.lines.extend([""] * data[i + 2])
                i += 3
            elif op == ord("p"):
                out.commands.append(("kick", data[i + 2], data[i + 3], data[i + 4]))
                i += 5
            elif op in b"!E-M{a":
                out.commands.append(
                    (
                        {
                            ord("!"): "mode",
                            ord("E"): "bold",
                            ord("-"): "underline",
                            ord("M"): "font",
                            ord("{"): "upside_down",
                            ord("a"): "align",
                        }[op],
                        data[i + 2],
                    )
                )
                i += 3
            else:
                raise AssertionError(f"unexpected ESC {chr(op)!r} at {i}")
        elif byte == GS:
            flush_text()
            op = data[i + 1]
            if op == ord("V"):
                mode = data[i + 2]
                out.commands.append(("cut", mode))
                i += 4 if mode in (65, 66) else 3
            elif op in b"hwfH":  # barcode height, width, HRI font and position
                out.commands.append(
                    (
                        {
                            ord("h"): "barcode_height",
                            ord("w"): "barcode_width",
                            ord("f"): "hri_font",
                            ord("H"): "hri_position",
                        }[op],
                        data[i + 2],
                    )
                )
                i += 3
            elif op == ord("k"):
                kind = data[i + 2]
                if kind <= 6:  # function A: the code, then NUL
                    end = data.index(0, i + 3)
                else:  # function B: a length byte
                    end = i + 4 + data[i + 3]
                code = data[(i + 3 if kind <= 6 else i + 4) : end].decode("ascii")
                out.commands.append(("barcode", kind, code))
                out.lines.append(code)  # the digits printed under the bars
                i = end + (1 if kind <= 6 else 0)
            elif op in b"!bB":
                out.commands.append(
                    ({ord("!"): "size", ord("b"): "smooth", ord("B"): "invert"}[op], data[i + 2])
                )
                i += 3
            else:
                raise AssertionError(f"unexpected GS {chr(op)!r} at {i}")
        elif byte == DLE and data[i + 1] == 0x04:
            flush_text()
            out.commands.append(("status", data[i + 2]))
            i += 3
        elif byte < 0x20:
            raise AssertionError(f"unexpected control byte 0x{byte:02x} at {i}")
        else:
            pending.append(byte)
            i += 1
    flush_text()
    if current:
        out.lines.append("".join(current))
    return out
