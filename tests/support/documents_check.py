"""Reading a generated Word document back with python-docx, as a school would open it."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from docx import Document


@dataclass
class ReadDocument:
    paragraphs: list[str]
    tables: list[list[list[str]]]  # table → row → cell texts
    headers: list[str]
    footers_xml: list[str]
    images: int

    @property
    def text(self) -> str:
        cells = [cell for table in self.tables for row in table for cell in row]
        return "\n".join([*self.paragraphs, *cells, *self.headers])

    def table_with(self, header: str) -> list[list[str]]:
        """The rows (header row excluded) of the first table whose header row has `header`."""
        for table in self.tables:
            if table and header in table[0]:
                return table[1:]
        raise AssertionError(f"no table with the column {header!r}")


def read_docx(content: bytes) -> ReadDocument:
    doc = Document(io.BytesIO(content))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    headers = [p.text for section in doc.sections for p in section.header.paragraphs]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        footers = [
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("word/footer")
        ]
    return ReadDocument(
        paragraphs=[p.text for p in doc.paragraphs],
        tables=tables,
        headers=headers,
        footers_xml=footers,
        images=len(doc.inline_shapes),
    )


def assert_no_tags(read: ReadDocument) -> None:
    for marker in ("{{", "{%", "}}", "%}"):
        assert marker not in read.text, marker
