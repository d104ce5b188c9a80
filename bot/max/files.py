"""A file a MAX person sent, as the core's `file_id`, and back.

MAX's attachment carries a `token` (to attach the same file to another message) and a
`url` (to download it). The core keeps one string per file (`Document.file_id`, e.g.
the programme's materials), so both go in it: `max:<kind>:<token>:<url>`. Telegram's
file ids never contain a colon, so the two kinds cannot be confused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlparse

PREFIX = "max:"


@dataclass(frozen=True)
class MaxFile:
    kind: str  # "file" or "image"
    token: str
    url: str

    @property
    def file_id(self) -> str:
        return f"{PREFIX}{self.kind}:{self.token}:{self.url}"

    @property
    def unique_id(self) -> str:
        return self.token[:32] or "max"

    @property
    def name(self) -> str:
        """A name for the file when it goes to Telegram (the URL's last part)."""
        return PurePosixPath(urlparse(self.url).path).name or "file"


def is_max_file(file_id: object) -> bool:
    return isinstance(file_id, str) and file_id.startswith(PREFIX)


def parse_file_id(file_id: str) -> MaxFile | None:
    if not is_max_file(file_id):
        return None
    parts = file_id[len(PREFIX) :].split(":", 2)
    if len(parts) != 3 or parts[0] not in ("file", "image") or not parts[1]:
        return None
    return MaxFile(parts[0], parts[1], parts[2])
