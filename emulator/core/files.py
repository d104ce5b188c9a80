"""Files: uploads, file ids, getFile, documents, photos and albums."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from ..errors import bad_request
from ..records import FileRecord
from .base import _image_size
from .messages import Messages


class Files(Messages):
    """Files the bot sends and reads."""

    # ------------------------------------------------------------------ files

    def _store_file(
        self, content: bytes, filename: str | None, mime_type: str | None, kind: str = "document"
    ) -> FileRecord:
        n = self._next_file
        self._next_file += 1
        digest = hashlib.sha1(content).hexdigest()[:16]
        file_id = f"BQACAgIAAx{n:08d}{secrets.token_hex(8)}"
        folder = "photos" if kind == "photo" else "documents"
        suffix = ""
        if filename and "." in filename:
            suffix = "." + filename.rsplit(".", 1)[1]
        record = FileRecord(
            file_id=file_id,
            file_unique_id=f"AgAD{digest}",
            file_path=f"{folder}/file_{n}{suffix}",
            content=content,
            filename=filename,
            mime_type=mime_type,
            kind=kind,
        )
        if kind == "photo":
            record.width, record.height = _image_size(content)
        self.files[file_id] = record
        self._files_by_path[record.file_path] = record
        return record

    def file_by_path(self, path: str) -> FileRecord | None:
        return self._files_by_path.get(path)

    def _input_file(self, value: Any, kind: str) -> FileRecord:
        if not value and kind in self._files_in_request:
            value = f"attach://{kind}"  # the file uploaded under the parameter's own name
        if not value:
            raise bad_request(f"there is no {kind} in the request")
        value = str(value)
        if value.startswith("attach://"):
            part = self._files_in_request.get(value[len("attach://") :])
            if part is None:
                raise bad_request(f"there is no {kind} in the request")
            if not part.content:
                raise bad_request("file must be non-empty")
            if kind == "photo" and part.kind != "photo":
                return self._store_file(part.content, part.filename, part.mime_type, "photo")
            return part
        existing = self.files.get(value)
        if existing is not None:
            return existing
        if value.startswith(("http://", "https://")):
            name = value.rsplit("/", 1)[-1] or None
            return self._store_file(b"", name, None, kind)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _send_file(self, p: dict[str, Any], kind: str) -> dict[str, Any]:
        chat = self._chat(p)
        record = self._input_file(p.get(kind), kind)
        caption, entities = self._parse_text(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        content: dict[str, Any] = {}
        if kind == "photo":
            content["photo"] = record.as_photo()
        else:
            content["document"] = record.as_document()
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        return self._bot_message(chat, content, p, file=record).data

    def api_senddocument(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._send_file(p, "document")

    def api_sendphoto(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._send_file(p, "photo")

    def api_getfile(self, p: dict[str, Any]) -> dict[str, Any]:
        record = self.files.get(str(p.get("file_id")))
        if record is None:
            raise bad_request("invalid file_id")
        return record.as_file()

    def api_sendmediagroup(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self._chat(p)
        media = p.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise bad_request("wrong number of media in the group: must be 2-10")
        out = []
        group_id = str(secrets.randbelow(10**15))
        for item in media:
            kind = "photo" if item.get("type") == "photo" else "document"
            record = self._input_file(item.get("media"), kind)
            caption, _ = self._parse_text(
                item.get("caption"), item.get("parse_mode"), None, caption=True
            )
            content: dict[str, Any] = {"media_group_id": group_id}
            content[kind] = record.as_photo() if kind == "photo" else record.as_document()
            if caption:
                content["caption"] = caption
            out.append(self._bot_message(chat, content, {}, file=record).data)
        return out
