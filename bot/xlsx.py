"""Excel workbooks fast enough for a big office: openpyxl builds the frame, rows stream in.

openpyxl writes everything but the data rows: the sheets and their names, a title row
merged across the table, note rows, the header, column widths, frozen panes, print
settings and the stylesheet. The data rows — 10k tasks and 100k records in a large
office — are then written straight into each sheet's `<sheetData>` as the same cell XML
openpyxl writes (inline strings, numbers, dates as serial numbers), with style ids
openpyxl assigned: openpyxl alone takes about 20 µs a cell, this about 1 µs
(bench/ledger.py). Nothing here knows what a task is; bot/ledger.py says what goes in.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

# What a column holds, and so how its cells look.
TEXT, DATE, DATETIME, PERCENT, NUMBER, FILLED = (
    "text",
    "date",
    "datetime",
    "percent",
    "number",
    "filled",
)
# Cell fills by name (FILLED columns take (text, fill) pairs): Excel's own pale tones.
FILLS = {
    "red": "FFC7CE",
    "yellow": "FFEB9C",
    "green": "C6EFCE",
    "grey": "E7E6E6",
}
_FORMATS = {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm", PERCENT: "0%", NUMBER: "0"}
# Excel's day 0 (its 1900 leap-year bug is before any date here).
_EPOCH_ORDINAL = date(1899, 12, 30).toordinal()
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
_WRAPPED = (TEXT, FILLED)
LINE_POINTS = 14.5  # one line of 11-point text
MAX_ROW_POINTS = 409  # Excel's tallest row
HEADER = "表头"  # a named style: one stylesheet entry for every header cell
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")
MAX_NAME_CHARS = 31


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # in Excel's character units; a Chinese character takes about 2
    kind: str = TEXT


@dataclass
class Sheet:
    name: str
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]] = ()
    notes: Sequence[str] = ()  # lines between the title and the header
    landscape: bool = True


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A sheet name Excel and WPS accept: at most 31 characters, none of []:*?/\\, not
    blank, not starting or ending with an apostrophe, unique (case-insensitive)."""
    base = _BAD_NAME.sub("_", _ILLEGAL.sub("", wanted)).strip().strip("'").strip()
    base = base[:MAX_NAME_CHARS] or "Sheet"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f"({n})"
        name = base[: MAX_NAME_CHARS - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx file of `sheets`, in order."""
    book = Workbook()
    book.remove(book.active)
    streams: dict[str, _Stream] = {}
    styles: dict[tuple[str, str | None], int] = {}  # workbook-wide: (kind, fill) -> id
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    book.add_named_style(
        NamedStyle(
            HEADER,
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor="D9E1F2"),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=border,
        )
    )
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        last = get_column_letter(len(sheet.columns))
        title = ws.cell(row=1, column=1, value=clean(sheet.title))
        title.font = Font(bold=True, size=14)
        title.alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(f"A1:{last}1")
        ws.row_dimensions[1].height = 28
        room = sum(column.width for column in sheet.columns)
        for i, note in enumerate(sheet.notes, start=2):
            cell = ws.cell(row=i, column=1, value=clean(note))
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            ws.merge_cells(f"A{i}:{last}{i}")
            # Excel does not fit a merged row's height to its text: give it room.
            lines = -(-display_width(note) // max(1, int(room))) or 1
            ws.row_dimensions[i].height = 15 * lines + 3
        header = 2 + len(sheet.notes)
        for j, column in enumerate(sheet.columns, start=1):
            ws.cell(row=header, column=j, value=column.header).style = HEADER
            ws.column_dimensions[get_column_letter(j)].width = column.width
        ws.freeze_panes = f"A{header + 1}"
        ws.print_title_rows = f"1:{header}"
        ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        plan = [
            (
                get_column_letter(j),
                column.kind,
                _style_id(ws, styles, column.kind, None, border),
                column.width,
            )
            for j, column in enumerate(sheet.columns, start=1)
        ]
        fills = {
            name: _style_id(ws, styles, FILLED, color, border) for name, color in FILLS.items()
        }
        streams[sheet.name] = _Stream(sheet, plan, header, fills)
    out = io.BytesIO()
    book.save(out)
    # Where openpyxl put each sheet (known once saved), e.g. xl/worksheets/sheet2.xml.
    parts = {ws.path.lstrip("/"): streams[ws.title] for ws in book.worksheets}
    frame = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in frame.infolist():
            data = frame.read(info.filename)
            stream = parts.pop(info.filename, None)
            if stream is not None:
                data = stream.spliced(data.decode("utf-8"))
            archive.writestr(info.filename, data)
    if parts:
        raise AssertionError(f"openpyxl did not write {sorted(parts)}")
    return result.getvalue()


@dataclass(frozen=True)
class _Stream:
    """A sheet's data rows and how to write them: per column (letter, kind, style id)."""

    sheet: Sheet
    plan: list[tuple[str, str, int, float]]  # letter, kind, style id, width
    header: int  # the header's row number; data starts below it
    fills: dict[str, int]  # FILLED cells: style id by fill name

    def spliced(self, xml: str) -> bytes:
        """The sheet's XML as openpyxl wrote it, with the data rows in its sheetData."""
        rows, number = _rows(self.sheet.rows, self.header + 1, self.plan, self.fills)
        head, sep, tail = xml.partition("</sheetData>")
        if not sep:  # openpyxl writes <sheetData/> only for an empty sheet; ours has a header
            raise AssertionError("openpyxl wrote no sheetData")
        last = f"{self.plan[-1][0]}{number}"
        head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', head, count=1)
        return (head + rows + sep + tail).encode("utf-8")


def _style_id(
    ws: Any, known: dict[tuple[str, str | None], int], kind: str, fill: str | None, border: Border
) -> int:
    """The stylesheet index openpyxl gives a cell of this kind: a cell that is never placed
    in the sheet registers the style, and the index stays valid (the list only grows)."""
    if (kind, fill) in known:
        return known[kind, fill]
    cell = Cell(ws)
    cell.border = border
    cell.alignment = Alignment(vertical="top", wrap_text=kind in _WRAPPED)
    if kind in _FORMATS:
        cell.number_format = _FORMATS[kind]
    if fill is not None:
        cell.fill = PatternFill("solid", fgColor=fill)
    known[kind, fill] = int(cell.style_id)
    return known[kind, fill]


def _rows(
    rows: Iterable[Sequence[Any]],
    first: int,
    plan: list[tuple[str, str, int, float]],
    fills: dict[str, int],
) -> tuple[str, int]:
    """The rows' XML from row number `first` on, and the last row's number. The hot loop of
    a big ledger (about a microsecond a cell): one string per cell, no objects.

    A row whose wrapped text needs several lines gets that height: Excel, WPS and
    LibreOffice do not all fit a row to its text when they open a file."""
    columns = [
        (
            f'<c r="{letter}',
            kind == FILLED,
            style,
            _chars_per_line(width, kind),
        )
        for letter, kind, style, width in plan
    ]
    out: list[str] = []
    append = out.append
    number = first - 1
    for number, values in enumerate(rows, start=first):
        row_at = len(out)
        append("")  # the row's opening tag, once its height is known
        lines = 1
        for (opener, filled, style, per_line), value in zip(columns, values, strict=True):
            if filled and value is not None:
                value, fill = value
                style = fills[fill]
            if value is None or value == "":
                append(f'{opener}{number}" s="{style}"/>')
            elif value.__class__ is str:
                if per_line:
                    lines = max(lines, _lines(value, per_line))
                append(
                    f'{opener}{number}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{_escape(value)}</t></is></c>"
                )
            else:
                append(f'{opener}{number}" s="{style}"><v>{_number(value)}</v></c>')
        if lines > 1:
            height = min(MAX_ROW_POINTS, LINE_POINTS * lines + 2)
            out[row_at] = f'<row r="{number}" ht="{height:g}" customHeight="1">'
        else:
            out[row_at] = f'<row r="{number}">'
        append("</row>")
    return "".join(out), number


def _chars_per_line(width: float, kind: str) -> int:
    """How many half-width characters a wrapped line of a column this wide holds (0: the
    column does not wrap)."""
    return max(1, int(width) - 1) if kind in _WRAPPED else 0


def _lines(text: str, per_line: int) -> int:
    """About how many lines a wrapped text takes: a CJK or full-width character is two
    half-widths (three UTF-8 bytes against one: counted without looking at each)."""
    count = 0
    for part in text.split("\n") if "\n" in text else (text,):
        size = len(part)
        if not part.isascii():
            size += (len(part.encode()) - size) // 2
        count += max(1, -(-size // per_line))
    return count


def _number(value: Any) -> str:
    kind = value.__class__
    if kind is int:
        return repr(value)
    if kind is float:
        if not math.isfinite(value):
            raise ValueError(f"a cell cannot hold {value!r}")
        return repr(value)
    if kind is datetime:
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return repr(value.toordinal() - _EPOCH_ORDINAL + seconds / 86400)
    if kind is date:
        return str(value.toordinal() - _EPOCH_ORDINAL)
    raise TypeError(f"not a cell value: {value!r}")


def display_width(text: str) -> int:
    """Columns the text takes in Excel's units: a CJK or full-width character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clean(text: str) -> str:
    """Text a cell can hold: no control characters XML forbids, within Excel's length."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def _escape(text: str) -> str:
    if not text.isprintable() and _ILLEGAL.search(text):  # isprintable: a fast first look
        text = _ILLEGAL.sub("", text)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text
