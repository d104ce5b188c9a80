"""Checks a call's parameters the way Telegram would: aiogram's method models and, when
available, the official reference (`api.min.json`)."""

from __future__ import annotations

import json
import os
import re
import types
import typing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    PydanticSchemaGenerationError,
    TypeAdapter,
    ValidationError,
)

from .errors import ApiError, bad_request

SPEC_ENV = "TELEGRAM_API_SPEC"
_INT_RE = re.compile(r"-?\d+")

# The field kinds used to turn form strings (as aiogram sends them) into JSON values.
STR, INT_OR_STR, FILE, JSON = "str", "int_or_str", "file", "json"


class FieldCheck:
    """How to check one parameter quickly: isinstance for plain types, pydantic otherwise."""

    __slots__ = ("_adapter", "annotation", "name", "simple", "type_name")

    def __init__(self, name: str, annotation: Any) -> None:
        self.name = name
        self.annotation = annotation
        self.simple = _simple_types(annotation)
        self.type_name = _type_name(annotation)
        self._adapter: TypeAdapter[Any] | None = None

    def adapter(self) -> TypeAdapter[Any]:
        if self._adapter is None:
            try:
                self._adapter = TypeAdapter(self.annotation)
            except PydanticSchemaGenerationError:
                config = ConfigDict(arbitrary_types_allowed=True)
                self._adapter = TypeAdapter(self.annotation, config=config)
        return self._adapter


@dataclass
class MethodInfo:
    name: str  # as Telegram spells it
    model: type[BaseModel] | None
    kinds: dict[str, str]
    required: tuple[str, ...]
    spec_types: dict[str, list[str]]
    checks: dict[str, FieldCheck] | None = None
    # Parameters Telegram still takes but no longer documents (see `MethodTable`).
    deprecated: frozenset[str] = frozenset()


def _flatten(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_flatten(arg))
        return out
    if origin is typing.Annotated:
        return _flatten(typing.get_args(annotation)[0])
    return [annotation]


_SIMPLE = {int: "Integer", str: "String", bool: "Boolean", float: "Float"}


def _simple_types(annotation: Any) -> frozenset[type] | None:
    """The plain types a parameter accepts, or None if it takes objects."""
    import datetime

    from aiogram.types import InputFile

    out: set[type] = set()
    for part in _flatten(annotation):
        if part is type(None) or getattr(part, "__name__", "") == "Default":
            continue
        if isinstance(part, type) and issubclass(part, InputFile):
            out.add(str)  # "attach://<part>" or a file_id or a URL
            continue
        if typing.get_origin(part) is typing.Literal:
            out.update(type(v) for v in typing.get_args(part))
        elif part in _SIMPLE:
            out.add(part)
        elif part in (datetime.datetime, datetime.timedelta):
            out.add(int)
        else:
            return None
    return frozenset(out)


def _type_name(annotation: Any) -> str:
    names: list[str] = []
    for part in _flatten(annotation):
        if part is type(None) or getattr(part, "__name__", "") == "Default":
            continue
        names.append(str(_SIMPLE.get(part) or getattr(part, "__name__", part)))
    return " or ".join(dict.fromkeys(names))


def _simple_ok(value: Any, allowed: frozenset[type]) -> bool:
    kind = type(value)
    if kind is bool:
        return bool in allowed
    if kind is int:
        return int in allowed or float in allowed
    if kind is str:
        if str in allowed:
            return True
        if int in allowed or float in allowed:
            return _INT_RE.fullmatch(value) is not None
        return bool in allowed and value.lower() in ("true", "false", "1", "0")
    if kind is float:
        return float in allowed
    return False


def _kind(annotation: Any) -> str:
    from aiogram.types import InputFile

    parts = [p for p in _flatten(annotation) if p is not type(None)]
    if any(isinstance(p, type) and issubclass(p, InputFile) for p in parts):
        return FILE
    if str in parts and int in parts:
        return INT_OR_STR
    if str in parts and all(p is str or getattr(p, "__name__", "") == "Default" for p in parts):
        return STR
    return JSON


@lru_cache(maxsize=1)
def aiogram_methods() -> dict[str, MethodInfo]:
    import aiogram.methods as methods
    from aiogram.methods.base import TelegramMethod

    table: dict[str, MethodInfo] = {}
    for name in methods.__all__:
        cls = getattr(methods, name, None)
        if not (isinstance(cls, type) and issubclass(cls, TelegramMethod)):
            continue
        api_name = getattr(cls, "__api_method__", None)
        if not isinstance(api_name, str):
            continue
        kinds: dict[str, str] = {}
        required: list[str] = []
        for fname, finfo in cls.model_fields.items():
            key = finfo.alias or fname
            kinds[key] = _kind(finfo.annotation)
            if finfo.is_required():
                required.append(key)
        checks = {
            (finfo.alias or fname): FieldCheck(finfo.alias or fname, finfo.annotation)
            for fname, finfo in cls.model_fields.items()
        }
        deprecated = frozenset(
            finfo.alias or fname
            for fname, finfo in cls.model_fields.items()
            if isinstance(finfo.json_schema_extra, dict)
            and finfo.json_schema_extra.get("deprecated")
        )
        table[api_name.lower()] = MethodInfo(
            api_name, cls, kinds, tuple(required), {}, checks, deprecated
        )
    return table


def default_spec_path() -> Path | None:
    env = os.environ.get(SPEC_ENV)
    if env:
        return Path(env) if Path(env).is_file() else None
    here = Path(__file__).resolve().parent.parent
    for candidate in (
        here.parent / "shared" / "telegram-bot-api" / "api.min.json",
        here.parent.parent / "shared" / "telegram-bot-api" / "api.min.json",
        Path("/work/shared/telegram-bot-api/api.min.json"),
    ):
        if candidate.is_file():
            return candidate
    return None


class MethodTable:
    """Every method the emulator recognises, with what to check for each.

    A parameter is deprecated when aiogram's model of the method marks it so (it keeps
    them for old bots, e.g. `disable_web_page_preview`, replaced by
    `link_preview_options`) and the official reference, when loaded, no longer lists it
    for the method: the reference documents only the current parameters and carries no
    deprecation marks of its own.
    """

    def __init__(self, spec_path: str | Path | None = None, *, use_spec: bool = True) -> None:
        self.methods: dict[str, MethodInfo] = {
            k: MethodInfo(v.name, v.model, dict(v.kinds), v.required, {}, v.checks, v.deprecated)
            for k, v in aiogram_methods().items()
        }
        self.spec_path: Path | None = None
        if use_spec:
            path = Path(spec_path) if spec_path else default_spec_path()
            if path is not None and path.is_file():
                self._load_spec(path)
                self.spec_path = path

    def _load_spec(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        for name, method in data.get("methods", {}).items():
            fields = method.get("fields") or []
            required = tuple(f["name"] for f in fields if f.get("required"))
            spec_types = {f["name"]: list(f.get("types") or []) for f in fields}
            info = self.methods.get(name.lower())
            if info is None:
                kinds = {f: _spec_kind(t) for f, t in spec_types.items()}
                self.methods[name.lower()] = MethodInfo(name, None, kinds, required, spec_types)
            else:
                info.required = tuple(dict.fromkeys((*info.required, *required)))
                info.spec_types = spec_types
                info.deprecated = info.deprecated - spec_types.keys()
                for fname, ftypes in spec_types.items():
                    info.kinds.setdefault(fname, _spec_kind(ftypes))

    def get(self, method: str) -> MethodInfo | None:
        return self.methods.get(method.lower())


def _spec_kind(spec_types: list[str]) -> str:
    if "InputFile" in spec_types:
        return FILE
    if spec_types == ["String"]:
        return STR
    if "String" in spec_types and "Integer" in spec_types:
        return INT_OR_STR
    return JSON


def coerce_form(info: MethodInfo | None, form: dict[str, str]) -> dict[str, Any]:
    """Form values are strings; nested objects and numbers arrive JSON-encoded."""
    kinds = info.kinds if info is not None else {}
    out: dict[str, Any] = {}
    for key, value in form.items():
        kind = kinds.get(key, JSON)
        if kind == STR or kind == FILE:
            out[key] = value
        elif kind == INT_OR_STR:
            out[key] = int(value) if _INT_RE.fullmatch(value) else value
        else:
            try:
                out[key] = json.loads(value)
            except ValueError:
                out[key] = value
    return out


_MISSING_TEXT = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "message_id": "message identifier is not specified",
    "callback_query_id": "query is too old and response timeout expired or query ID is invalid",
    "commands": 'parameter "commands" is required',
    "document": "there is no document in the request",
    "photo": "there is no photo in the request",
    "invite_link": "invite link must be non-empty",
}

_TYPE_NAMES = {"int": "Integer", "str": "String", "bool": "Boolean", "float": "Float"}


def _missing(field: str) -> ApiError:
    return bad_request(_MISSING_TEXT.get(field, f'parameter "{field}" is required'))


def validate(info: MethodInfo, params: dict[str, Any], *, full: bool = False) -> None:
    """Raise ApiError (400) for a missing required field or a value of the wrong type.

    Plain parameters are checked with isinstance and objects with pydantic (aiogram's
    types); `full=True` validates the whole call with aiogram's method model instead,
    which is slower (aiogram's models run hooks for every nested object).
    """
    for name in info.required:
        value = params.get(name)
        if value is None or value == "":
            raise _missing(name)
    if info.model is not None and (full or info.checks is None):
        try:
            info.model.model_validate(params)
        except ValidationError as exc:
            raise _type_error(exc) from None
        return
    if info.checks is not None:
        checks = info.checks
        for key, value in params.items():
            check = checks.get(key)
            if check is None or value is None:
                continue
            if check.simple is not None:
                if not _simple_ok(value, check.simple):
                    raise _wrong_type(key, check.type_name)
            elif key == "reply_markup" and type(value) is dict and "inline_keyboard" in value:
                continue  # the emulator checks inline keyboards itself, button by button
            else:
                try:
                    check.adapter().validate_python(value)
                except ValidationError as exc:
                    raise _type_error(exc, key) from None
    elif info.spec_types:
        _check_spec_types(info, params)


def _wrong_type(field: str, expected: str) -> ApiError:
    if field == "chat_id":
        return bad_request("chat not found")
    if field == "reply_markup":
        return bad_request("can't parse reply keyboard markup JSON object")
    return bad_request(f'field "{field}" must be of type {expected}')


def _type_error(exc: ValidationError, field_name: str | None = None) -> ApiError:
    error = exc.errors()[0]
    loc = [str(p) for p in error.get("loc", ())]
    if field_name is not None:
        loc = [field_name, *loc]
    field = loc[0] if loc else "?"
    if error.get("type") == "missing" and len(loc) == 1:
        return _missing(field)
    if field == "reply_markup":
        return bad_request("can't parse reply keyboard markup JSON object")
    if field in ("entities", "caption_entities"):
        return bad_request("can't parse entities JSON object")
    if field == "chat_id":
        return bad_request("chat not found")
    where = ".".join(loc)
    return bad_request(f'field "{where}" has wrong type: {error.get("msg", "invalid value")}')


def _check_spec_types(info: MethodInfo, params: dict[str, Any]) -> None:
    for name, value in params.items():
        allowed = info.spec_types.get(name)
        if not allowed:
            continue
        ok = False
        for t in allowed:
            if (
                (t == "Integer" and isinstance(value, int) and not isinstance(value, bool))
                or (t == "String" and isinstance(value, str))
                or (t == "Boolean" and isinstance(value, bool))
                or (t == "Float" and isinstance(value, int | float))
                or (t.startswith("Array") and isinstance(value, list))
                or (
                    t not in ("Integer", "String", "Boolean", "Float") and not t.startswith("Array")
                )
            ):
                ok = True
                break
        if not ok:
            raise bad_request(f'field "{name}" must be of type {" or ".join(allowed)}')
