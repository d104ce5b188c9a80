"""Rows of a constant-memory xlsxwriter worksheet, written as XML a whole row at a time.

xlsxwriter's `write_*` calls cost several microseconds a cell (a decorator, a tuple kept per
cell, attribute lists and regular expressions when the row is flushed); a large export writes
more than a million cells. `RowWriter` writes the same `<row>`/`<c>` XML that xlsxwriter writes
in `constant_memory` mode (inline strings, numbers, dates as serial numbers with a number
format) straight into the worksheet's row file, and keeps xlsxwriter's own bookkeeping (the
sheet's dimensions, the last row written) in step, so rows written through xlsxwriter's API
(a header, a bold title) and through this writer can follow one another in one sheet.
tests/unit/test_xlsx_rows.py checks the XML against xlsxwriter's own, byte for byte.

Kept (with xlsxwriter pinned below 4) because the goal `export_10k_seconds < 10`
(`python -m benchmarks reports`, 137,117 rows) needs it: measured on 2026-12-02, one machine
(2 cores, load 7), xlsxwriter's `write_string`/`write_number`/`write_datetime` cell by cell
took 7.5-8.6 s of CPU for the export against 3.6 s with this writer (wall clock 12-31 s
against 12.7 s at that load; 4.5 s on a quiet machine). No library writes rows of a
constant-memory sheet faster; rustpy-xlsxwriter and pyexcelerate (which keeps the whole
sheet in memory) were not tried.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

# Excel's limit of a cell's text, in UTF-16 units.
MAX_TEXT = 32767
# Excel counts days from 1899-12-31 and takes 1900 for a leap year (serial 60 is 29.02.1900).
_EPOCH = datetime(1899, 12, 31)
_DAY = 86400.0
# Anything that needs more than the plain inline-string XML: XML's special characters, control
# characters and text that looks like their `_xHHHH_` escape, leading or trailing whitespace.
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_ESCAPED = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")
# Integers below this are written as they are; xlsxwriter's "%.16G" agrees with str() there.
_EXACT = 10**16
# Distinct texts remembered as ready XML (names and labels repeat row after row).
_TEXT_CACHE = 20_000


def excel_serial(moment: datetime) -> float:
    """A naive datetime as Excel's serial number (days since 1899-12-31, 1900 epoch)."""
    delta = moment - _EPOCH
    serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / _DAY
    if serial < 2 and moment.isocalendar() == (1900, 1, 1):
        serial -= 1
    if serial > 59:
        serial += 1
    return serial


def _text_xml(text: str) -> str:
    """The attributes and content of an inline-string cell, after `<c r="A1"`."""
    if _SPECIAL.search(text) is None:
        return f' t="inlineStr"><is><t>{text}</t></is></c>'
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", _ESCAPED.sub(r"_x005F\1", text))
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    space = ' xml:space="preserve"' if _EDGE_SPACE.search(text) else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _truncated(text: str) -> str:
    """At most Excel's limit of UTF-16 units, without splitting a character."""
    if len(text) <= MAX_TEXT // 2:
        return text
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > MAX_TEXT:
            return text[:index]
    return text


class RowWriter:
    """Typed rows of one worksheet: str, int/float, bool, datetime (in a zone) and date.

    None and "" leave a cell empty; True/False become the given yes/no texts; an aware
    datetime is shown in the given zone, naive ones as they are; any other value as str().
    """

    def __init__(
        self,
        ws: Worksheet,
        *,
        datetime_format: Format,
        date_format: Format,
        yes: str,
        no: str,
    ) -> None:
        if not ws.constant_memory:
            raise ValueError("RowWriter needs a workbook in constant_memory mode")
        self.ws = ws
        self._formats = (datetime_format, date_format)
        self._styles: dict[int, str] = {}
        self._letters: list[str] = []
        self._texts: dict[str, str] = {}
        self._yes = _text_xml(yes)
        self._no = _text_xml(no)
        self._last = -1

    def write(self, row: int, values: Sequence[Any], zone: ZoneInfo | None = None) -> None:
        """Row `row` (0-based, below every row written before) from column A on."""
        letters = self._letters
        if len(values) > len(letters):
            letters.extend(xl_col_to_name(c) for c in range(len(letters), len(values)))
        number = str(row + 1)
        texts = self._texts
        cells: list[str] = []
        append = cells.append
        first = last = -1
        for col, value in enumerate(values):
            # The usual cells inline; the rest in _cell.
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                xml = texts.get(value) or self._text(value)
            elif kind is int and -_EXACT < value < _EXACT:
                xml = f"><v>{value}</v></c>"
            elif value is None:
                continue
            elif kind is bool:
                xml = self._yes if value else self._no
            else:
                cell = self._cell(value, zone)
                if cell is None:
                    continue
                xml = cell
            append(f'<c r="{letters[col]}{number}"{xml}')
            if first < 0:
                first = col
            last = col
        if first >= 0:
            self._place(row, first, last)
            self.ws.fh.write(f'<row r="{number}">{"".join(cells)}</row>')

    def _place(self, row: int, first: int, last: int) -> None:
        """Keep xlsxwriter's account of the sheet as if it had written the row itself."""
        ws = self.ws
        previous = ws.previous_row
        if row <= self._last or row < previous or (row == previous and ws.table):
            raise ValueError(f"rows go down the sheet: row {row} comes too late")
        if row > previous:
            if previous == self._last and not ws.table:
                ws.previous_row = row  # nothing was written through xlsxwriter since
            else:
                ws._write_single_row(row)  # flushes the row written through xlsxwriter
        self._last = row
        if ws._check_dimensions(row, last) or (
            (ws.dim_colmin is None or first < ws.dim_colmin) and ws._check_dimensions(row, first)
        ):
            raise ValueError(f"row {row + 1} is outside the sheet")

    def _cell(self, value: Any, zone: ZoneInfo | None) -> str | None:
        if value is None:
            return None
        kind = type(value)
        if kind is str:
            return self._text(value) if value else None
        if kind is bool:
            return self._yes if value else self._no
        if isinstance(value, datetime):
            local = value if zone is None or value.tzinfo is None else value.astimezone(zone)
            serial = excel_serial(local.replace(tzinfo=None))
            return f"{self._style(0)}><v>{serial:.16G}</v></c>"
        if isinstance(value, date):
            serial = excel_serial(datetime(value.year, value.month, value.day))
            return f"{self._style(1)}><v>{serial:.16G}</v></c>"
        if isinstance(value, int | float):
            if not math.isfinite(value):
                raise TypeError(f"{value} can't be written to a cell")
            return f"><v>{value:.16G}</v></c>"
        text = str(value)
        return self._text(text) if text else None

    def _text(self, text: str) -> str:
        xml = self._texts.get(text)
        if xml is None:
            xml = _text_xml(_truncated(text))
            if len(self._texts) < _TEXT_CACHE:
                self._texts[text] = xml
        return xml

    def _style(self, which: int) -> str:
        # The format's index is taken on first use, as xlsxwriter does when it writes a cell.
        style = self._styles.get(which)
        if style is None:
            style = self._styles[which] = f' s="{self._formats[which]._get_xf_index()}"'
        return style
