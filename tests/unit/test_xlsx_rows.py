"""RowWriter writes the same worksheet XML as xlsxwriter's own cell calls, byte for byte."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import xlsxwriter
from openpyxl import load_workbook

from bot.infra.xlsx_rows import RowWriter, excel_serial

ZONE = ZoneInfo("Asia/Irkutsk")
TEXTS = [
    "просто текст",
    "  с пробелами впереди",
    "и позади ",
    "\tтабуляция",
    "a & b < c > d",
    'say "hi"',
    "строка\nи ещё одна",
    "управляющий\x01символ\x1f",
    "_x0041_ похоже на экранирование",
    "не\ufffeсимвол\uffff",
    "эмодзи 😀",
]
NUMBERS = [0, 7, -42, 10**15, 10**16, 2**60, 3.25, -0.1, 1e-7, 1e300]
MOMENTS = [
    datetime(2026, 11, 13, 10, 0, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, 15, 250000, tzinfo=UTC),
    datetime(2026, 11, 13, 18, 0),  # naive: shown as it is
    datetime(1900, 1, 1, 12, 0),
    datetime(1900, 2, 28),
    datetime(1900, 3, 1, 6, 0),
]
DAYS = [date(2026, 1, 2), date(1900, 1, 1), date(1900, 3, 1)]
LONG = ["я" * 40_000, "😀" * 20_000, "a" + "😀" * 16_383 + "b"]


def _rows() -> list[list[Any]]:
    return [
        TEXTS,
        [*NUMBERS, True, False],
        [None, "", *MOMENTS, None],
        [*DAYS, "", None, 5],
        [None, None, None],  # nothing to write: no <row> at all
        LONG,
    ]


def _book(path: Path) -> tuple[Any, Any, Any, Any]:
    """A workbook with a bold header row, and its date-time and date formats."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["заголовок", "второй"], book.add_format({"bold": True}))
    moment = book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    return book, ws, moment, day


def _finish(book: Any, ws: Any, row: int) -> None:
    # a row through xlsxwriter's API after the data rows, as the summary sheet does
    ws.write_string(row, 0, "итог", book.add_format({"bold": True}))
    book.close()


def _reference(path: Path, rows: list[list[Any]]) -> None:
    """The same cells through xlsxwriter's API, as the export wrote them before."""
    book, ws, moment, day = _book(path)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if isinstance(value, bool):
                ws.write_string(r, c, "да" if value else "нет")
            elif isinstance(value, str):
                if value:
                    ws.write_string(r, c, value)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif isinstance(value, datetime):
                local = value.astimezone(ZONE) if value.tzinfo else value
                ws.write_datetime(r, c, local.replace(tzinfo=None), moment)
            elif isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
    _finish(book, ws, len(rows) + 1)


def _written(path: Path, rows: list[list[Any]]) -> None:
    book, ws, moment, day = _book(path)
    writer = RowWriter(ws, datetime_format=moment, date_format=day, yes="да", no="нет")
    for r, values in enumerate(rows, start=1):
        writer.write(r, values, ZONE)
    _finish(book, ws, len(rows) + 1)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name)
            for name in ("xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml")
        }


def test_the_xml_is_xlsxwriters_own(tmp_path: Path) -> None:
    rows = _rows()
    _reference(tmp_path / "reference.xlsx", rows)
    _written(tmp_path / "written.xlsx", rows)
    assert _parts(tmp_path / "written.xlsx") == _parts(tmp_path / "reference.xlsx")


def test_the_cells_read_back(tmp_path: Path) -> None:
    path = tmp_path / "written.xlsx"
    _written(path, _rows())
    book = load_workbook(path, read_only=True)
    got = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert got[1][:7] == tuple(TEXTS[:7])
    assert got[2][:3] == (0, 7, -42) and got[2][-2:] == ("да", "нет")
    # 10:00 UTC is 18:00 in Irkutsk
    assert got[3][2] == datetime(2026, 11, 13, 18, 0)
    assert got[3][4] == datetime(2026, 11, 13, 18, 0)
    assert got[4][0] == datetime(2026, 1, 2)
    assert got[5] == (None, None, None) or all(v is None for v in got[5])
    assert len(got[6][0]) == 32767 and got[6][1] == "😀" * 16_383
    assert got[7][0] == "итог"


def test_text_like_a_rich_string_is_still_escaped(tmp_path: Path) -> None:
    path = tmp_path / "rich.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet()
    writer = RowWriter(
        ws, datetime_format=book.add_format(), date_format=book.add_format(), yes="+", no="-"
    )
    writer.write(0, ["<r>не разметка</r>"])
    book.close()
    loaded = load_workbook(path, read_only=True)
    assert next(loaded.worksheets[0].iter_rows(values_only=True)) == ("<r>не разметка</r>",)
    loaded.close()


def test_rows_only_go_down(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "order.xlsx"), {"constant_memory": True})
    ws = book.add_worksheet()
    writer = RowWriter(
        ws, datetime_format=book.add_format(), date_format=book.add_format(), yes="+", no="-"
    )
    writer.write(2, ["третья"])
    with pytest.raises(ValueError):
        writer.write(2, ["снова третья"])
    with pytest.raises(ValueError):
        writer.write(1, ["вторая"])
    with pytest.raises(TypeError):
        writer.write(3, [float("nan")])
    book.close()


def test_excel_serial_numbers() -> None:
    assert excel_serial(datetime(1900, 2, 28)) == 59
    assert excel_serial(datetime(1900, 3, 1)) == 61  # Excel's 29.02.1900 is 60
    assert excel_serial(datetime(2026, 11, 13, 18, 0)) == 46339.75
