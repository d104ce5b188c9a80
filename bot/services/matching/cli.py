"""`python -m bot match INSTANCE.json`: run the matching offline and print JSON.

The input format is described in docs/matching.md. `-` reads the instance from stdin.
Errors are one line on stderr and exit code 2; nothing is printed on stdout then.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from typing import Any, NoReturn

from bot.texts import t

from .engine import effective_preferences, run_matching
from .models import MatchingInputError, MatchingInstance, MenteeInput, MentorInput

EXIT_INPUT_ERROR = 2
EXIT_INTERNAL_ERROR = 1

TOP_FIELDS = {
    "mentees",
    "mentors",
    "complete_preferences",
    "form",
    "forms",
    "completion_length",
}
MENTEE_FIELDS = {"id", "preferences", "profile", "programme", "person"}
MENTOR_FIELDS = {
    "id",
    "capacity",
    "preferences",
    "profile",
    "programme",
    "person",
    "group_category",
}


def instance_from_json(data: Any) -> MatchingInstance:
    """Build an instance from parsed JSON, refusing unknown or missing fields."""
    if not isinstance(data, Mapping):
        raise MatchingInputError("match-error-top-type")
    _check_fields(data, TOP_FIELDS, {"mentees", "mentors"}, "instance")
    mentees = [_mentee(item) for item in _list(data["mentees"], "mentees")]
    mentors = [_mentor(item) for item in _list(data["mentors"], "mentors")]
    extra: dict[str, Any] = {}
    if "completion_length" in data:
        extra["completion_length"] = data["completion_length"]
    if data.get("forms") is not None:
        extra["forms"] = _list(data["forms"], "forms")
    return MatchingInstance(
        mentees=mentees,
        mentors=mentors,
        complete_preferences=data.get("complete_preferences", False),
        form=data.get("form"),
        **extra,
    )


def _mentee(item: Any) -> MenteeInput:
    where = _check_person(item, "mentee", MENTEE_FIELDS, {"id"})
    return MenteeInput(
        id=item["id"],
        preferences=_preferences(item.get("preferences"), where),
        profile=item.get("profile"),
        programme=item.get("programme"),
        person=item.get("person"),
    )


def _mentor(item: Any) -> MentorInput:
    where = _check_person(item, "mentor", MENTOR_FIELDS, {"id", "capacity"})
    return MentorInput(
        id=item["id"],
        capacity=item["capacity"],
        preferences=_preferences(item.get("preferences"), where),
        profile=item.get("profile"),
        programme=item.get("programme"),
        person=item.get("person"),
        group_category=item.get("group_category"),
    )


def _check_person(item: Any, role: str, fields: set[str], required: set[str]) -> str:
    if not isinstance(item, Mapping):
        raise MatchingInputError("match-error-item-type", role=role, value=item)
    where = f"{role} {item['id']}" if "id" in item else role
    _check_fields(item, fields, required, where)
    return where


def _check_fields(
    item: Mapping[str, Any], fields: set[str], required: set[str], where: str
) -> None:
    for name in sorted(required):
        if name not in item:
            raise MatchingInputError("match-error-missing-field", field=name, where=where)
    for name in item:
        if name not in fields:
            raise MatchingInputError("match-error-unknown-field", field=name, where=where)


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise MatchingInputError("match-error-list", field=name)
    return value


def _preferences(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    return _list(value, f"{where}.preferences")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise MatchingInputError("match-error-usage")


def main(argv: list[str]) -> int:
    """Run the matching on a JSON file (`-` for stdin); print the result as JSON."""
    parser = _Parser(prog="python -m bot match", add_help=False)
    parser.add_argument("instance")
    parser.add_argument("--locale", default="ru")
    parser.add_argument("--with-lists", action="store_true")
    locale = _locale_of(argv)
    try:
        args = parser.parse_args(argv)
        data = _load(args.instance)
        instance = instance_from_json(data)
        output = run_matching(instance, locale=args.locale).as_dict()
        if args.with_lists:
            lists = effective_preferences(instance)
            output["preferences"] = {
                "mentees": [{"id": k, "preferences": v} for k, v in lists.mentees.items()],
                "mentors": [{"id": k, "preferences": v} for k, v in lists.mentors.items()],
            }
    except MatchingInputError as error:
        _fail(error.message(locale), locale)
        return EXIT_INPUT_ERROR
    except Exception as error:  # the CLI promises one line, never a traceback
        _fail(f"{type(error).__name__}: {error}", locale)
        return EXIT_INTERNAL_ERROR
    sys.stdout.write(json.dumps(output, ensure_ascii=False, indent=2) + "\n")
    return 0


def _locale_of(argv: list[str]) -> str:
    """The `--locale` asked for, known even when the rest of the line is wrong."""
    for i, arg in enumerate(argv):
        if arg == "--locale" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--locale="):
            return arg.split("=", 1)[1]
    return "ru"


def _load(path: str) -> Any:
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise MatchingInputError("match-error-file", path=path, detail=detail) from None
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise MatchingInputError("match-error-json", detail=str(error)) from None


def _fail(message: str, locale: str) -> None:
    sys.stderr.write(t("match-error-prefix", locale) + " " + " ".join(message.split()) + "\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
