"""MAX's official OpenAPI description as a validator of every request the bot makes.

A small reader of the subset of OpenAPI 3.0 the MAX schema uses: `$ref`, `allOf`,
`discriminator` (on `type` / `update_type`), `nullable`, `enum`, string lengths and
patterns, integer bounds, arrays and objects. An object refuses a field its schema
does not list (MAX answers such a request with an error or ignores it; either way the
bot would be relying on something MAX does not promise). Query parameters are checked
by name, requiredness and type; `access_token` is the schema's own security parameter.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

SPEC_ENV = "MAX_API_SPEC"
SECURITY_PARAM = "access_token"


def default_spec_path() -> Path:
    """`MAX_API_SPEC`, else `../shared/max-bot-api/openapi.json` beside the repository,
    else the copy of that file kept with the emulator (a checkout on its own)."""
    env = os.environ.get(SPEC_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "max-bot-api" / "openapi.json"
        if candidate.is_file():
            return candidate
    return here.parent / "openapi.json"


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    spec: dict[str, Any]
    path_params: dict[str, str]

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId", f"{self.method} {self.template}"))


class Schema:
    """The parsed document with lookups of operations and checks of values."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.schemas: dict[str, Any] = document["components"]["schemas"]
        self._templates = [(template, _template_regex(template)) for template in document["paths"]]
        # Literal segments first: `/chats/{chatId}/members/me` before `/{chatId}/members`.
        self._templates.sort(key=lambda t: (t[0].count("{"), -len(t[0])))

    # -- operations ------------------------------------------------------------------

    def find(self, method: str, path: str) -> tuple[Operation | None, bool]:
        """The operation for a method and path; (None, True) when the path exists with
        other methods (405), (None, False) when no path matches (404)."""
        path_known = False
        fallback: Operation | None = None
        for template, regex in self._templates:
            match = regex.fullmatch(path)
            if match is None:
                continue
            path_known = True
            item = self.document["paths"][template]
            spec = item.get(method.lower())
            if spec is None:
                continue
            operation = Operation(method.upper(), template, spec, match.groupdict())
            # Two templates can match one path (`/chats/{chatLink}` and `/chats/{chatId}`):
            # the one whose path parameters are valid is meant.
            if not self._path_errors(operation):
                return operation, True
            fallback = fallback or operation
        return fallback, path_known

    def _path_errors(self, operation: Operation) -> list[str]:
        errors: list[str] = []
        for param in self.parameters(operation):
            if param.get("in") == "path":
                value = operation.path_params.get(param["name"], "")
                errors += self.check_scalar(param.get("schema", {}), value, param["name"])
        return errors

    def parameters(self, operation: Operation) -> list[dict[str, Any]]:
        item = self.document["paths"][operation.template]
        return [*item.get("parameters", []), *operation.spec.get("parameters", [])]

    def check_query(self, operation: Operation, query: dict[str, str]) -> list[str]:
        errors: list[str] = []
        params = {p["name"]: p for p in self.parameters(operation) if p.get("in") == "query"}
        for name in query:
            if name != SECURITY_PARAM and name not in params:
                errors.append(f"unknown query parameter {name!r}")
        for name, param in params.items():
            if name not in query:
                if param.get("required"):
                    errors.append(f"query parameter {name!r} is required")
                continue
            errors += self.check_scalar(param.get("schema", {}), query[name], f"query.{name}")
        return errors + self._path_errors(operation)

    def check_scalar(self, schema: dict[str, Any], raw: str, where: str) -> list[str]:
        """A query or path value, which arrives as text."""
        schema = self.resolve(schema)
        kind = schema.get("type")
        if kind == "array":
            items = schema.get("items", {})
            return [e for part in raw.split(",") for e in self.check_scalar(items, part, where)]
        if kind == "integer":
            if re.fullmatch(r"-?\d+", raw) is None:
                return [f"{where}: {raw!r} is not an integer"]
            return self.bounds(schema, int(raw), where)
        if kind == "boolean":
            return [] if raw in ("true", "false") else [f"{where}: {raw!r} is not a boolean"]
        return self.check(schema, raw, where)

    # -- values ----------------------------------------------------------------------

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while True:
            if "$ref" in schema:
                schema = self.schemas[schema["$ref"].rsplit("/", 1)[-1]]
            elif "schema" in schema and "type" not in schema:
                # `UserIdsList.user_ids` is written as a parameter (`schema`, `style`).
                schema = schema["schema"]
            else:
                return schema

    def body_schema(self, operation: Operation) -> dict[str, Any] | None:
        body = operation.spec.get("requestBody")
        if body is None:
            return None
        return dict(body["content"]["application/json"]["schema"])

    def check(self, schema: dict[str, Any], value: Any, where: str = "body") -> list[str]:
        schema = self.resolve(schema)
        if value is None:
            if schema.get("nullable"):
                return []
            return [f"{where}: null is not allowed"]
        discriminated = self._discriminated(schema, value, where)
        if discriminated is not None:
            return discriminated
        merged = self._merge(schema)
        if "enum" in merged and value not in merged["enum"]:
            return [f"{where}: {value!r} is not one of {merged['enum']}"]
        kind = merged.get("type") or ("object" if "properties" in merged else None)
        checker = _CHECKERS.get(kind or "")
        return checker(self, merged, value, where) if checker else []

    def _discriminated(self, schema: dict[str, Any], value: Any, where: str) -> list[str] | None:
        discriminator = schema.get("discriminator")
        if discriminator is None or not isinstance(value, dict):
            return None
        prop = discriminator["propertyName"]
        kind = value.get(prop)
        target = discriminator.get("mapping", {}).get(kind)
        if target is None:
            return [f"{where}.{prop}: unknown kind {kind!r}"]
        ref = target["$ref"] if isinstance(target, dict) else target
        return self.check({"$ref": ref}, value, where)

    def _merge(self, schema: dict[str, Any]) -> dict[str, Any]:
        """One flat schema from `allOf` (the parents' discriminators are not followed)."""
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        properties = dict(merged.get("properties", {}))
        required = merged.get("required")
        required = list(required) if isinstance(required, list) else []
        for part in schema.get("allOf", []):
            sub = self._merge(self.resolve(part))
            properties.update(sub.get("properties", {}))
            required += sub["required"]
            for key in ("type", "maxLength", "minLength", "enum", "items", "additionalProperties"):
                if key in sub and key not in merged:
                    merged[key] = sub[key]
        if properties:
            merged["properties"] = properties
        merged["required"] = required
        return merged

    def bounds(self, schema: dict[str, Any], value: int | float, where: str) -> list[str]:
        errors = []
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: {value} is below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: {value} is above {schema['maximum']}")
        return errors


def _check_string(schema: Schema, merged: dict[str, Any], value: Any, where: str) -> list[str]:
    if not isinstance(value, str):
        return [f"{where}: expected a string"]
    errors = []
    if "maxLength" in merged and len(value) > int(merged["maxLength"]):
        errors.append(f"{where}: longer than {merged['maxLength']} characters")
    if "minLength" in merged and len(value) < int(merged["minLength"]):
        errors.append(f"{where}: shorter than {merged['minLength']} characters")
    pattern = merged.get("pattern")
    if pattern and re.search(pattern, value) is None:
        errors.append(f"{where}: does not match {pattern}")
    return errors


def _check_integer(schema: Schema, merged: dict[str, Any], value: Any, where: str) -> list[str]:
    if not isinstance(value, int) or isinstance(value, bool):
        return [f"{where}: expected an integer"]
    return schema.bounds(merged, value, where)


def _check_boolean(schema: Schema, merged: dict[str, Any], value: Any, where: str) -> list[str]:
    return [] if isinstance(value, bool) else [f"{where}: expected a boolean"]


def _check_array(schema: Schema, merged: dict[str, Any], value: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        return [f"{where}: expected an array"]
    errors = []
    if "maxItems" in merged and len(value) > int(merged["maxItems"]):
        errors.append(f"{where}: more than {merged['maxItems']} items")
    items = merged.get("items")
    if items:
        for i, item in enumerate(value):
            errors += schema.check(items, item, f"{where}[{i}]")
    return errors


def _check_object(schema: Schema, merged: dict[str, Any], value: Any, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: expected an object"]
    errors = []
    properties = merged.get("properties", {})
    extra = merged.get("additionalProperties")
    for key, item in value.items():
        if key in properties:
            errors += schema.check(properties[key], item, f"{where}.{key}")
        elif isinstance(extra, dict):
            errors += schema.check(extra, item, f"{where}.{key}")
        elif properties:
            errors.append(f"{where}: unknown field {key!r}")
    for key in merged.get("required", []):
        # A required name the schema does not describe (e.g. `MessageBody.link`) is a
        # slip of the schema, not of the request (emulator/README.md).
        if key in properties and key not in value:
            errors.append(f"{where}: {key!r} is required")
    return errors


_CHECKERS = {
    "string": _check_string,
    "integer": _check_integer,
    "number": _check_integer,
    "boolean": _check_boolean,
    "array": _check_array,
    "object": _check_object,
}


def _template_regex(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(pattern)


@lru_cache(maxsize=4)
def load(path: str) -> Schema:
    return Schema(json.loads(Path(path).read_text(encoding="utf-8")))
