"""Form definitions: the YAML format, loaded and checked into plain dataclasses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.services import vocabulary
from bot.texts import CHILD, pick_text

QUESTION_TYPES = ("text", "number", "single", "multi", "scale", "date")
CHOICE_TYPES = ("single", "multi")
# Participant columns a question may fill, and the question types that can fill them.
MAPPABLE = {
    "display_name": ("text",),
    "age": ("number",),
    "category": ("single",),
    "grade": ("number",),
    "capacity": ("number",),
}
LOCALES = ("ru", "en")
ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
TEXT_MAX = 3000  # a long answer still fits one Telegram message with the question


class FormError(ValueError):
    """A form file is not valid; the message names the file and the problem."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


@dataclass(frozen=True)
class Option:
    """One choice. `labels` holds ru/en texts; vocabulary options take labels from Fluent."""

    code: str
    labels: dict[str, str] = field(default_factory=dict)
    vocabulary_group: str | None = None

    def label(self, locale: str) -> str:
        if self.vocabulary_group is not None:
            return vocabulary.label(self.vocabulary_group, self.code, locale)
        return pick_text(self.labels, locale) or self.code


@dataclass(frozen=True)
class Condition:
    """`when` (also spelled `show_if`) of a question: every clause must hold."""

    question: str
    equals: Any = None
    one_of: tuple[Any, ...] | None = None
    not_equals: Any = None
    contains: str | None = None
    answered: bool | None = None
    less_than: float | None = None
    at_least: float | None = None

    def holds(self, answers: dict[str, Any]) -> bool:
        value = answers.get(self.question)
        if self.answered is not None:
            return (value is not None) == self.answered
        if value is None:
            return False
        if self.equals is not None and value != self.equals:
            return False
        if self.one_of is not None and value not in self.one_of:
            return False
        if self.not_equals is not None and value == self.not_equals:
            return False
        if self.contains is not None and (
            not isinstance(value, list) or self.contains not in value
        ):
            return False
        if self.less_than is not None and not (
            isinstance(value, int | float) and value < self.less_than
        ):
            return False
        return not (
            self.at_least is not None
            and not (isinstance(value, int | float) and value >= self.at_least)
        )


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: dict[str, str]
    hint: dict[str, str] = field(default_factory=dict)
    required: bool = True
    min: int | None = None  # number/scale: value range; multi: how many; text: length
    max: int | None = None
    options: tuple[Option, ...] = ()
    source: str | None = None  # dynamic options: name of a registered option source
    other: bool = False  # choice questions: a free-text «Другое»
    show_if: tuple[Condition, ...] = ()
    maps_to: str | None = None
    before_consent: bool = False
    min_date: str | None = None  # date: ISO bounds, or "today"
    max_date: str | None = None

    def prompt(self, locale: str) -> str:
        return pick_text(self.text, locale) or ""

    def hint_text(self, locale: str) -> str | None:
        return pick_text(self.hint, locale)

    def visible(self, answers: dict[str, Any]) -> bool:
        return all(c.holds(answers) for c in self.show_if)

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES


@dataclass(frozen=True)
class FormDef:
    name: str
    title: dict[str, str]
    questions: tuple[Question, ...]
    review: bool = True  # show the summary with «Изменить» / «Подтвердить» at the end
    done: dict[str, str] = field(default_factory=dict)
    source_file: str = ""

    def title_text(self, locale: str) -> str:
        return pick_text(self.title, locale) or self.name

    def done_text(self, locale: str) -> str | None:
        return pick_text(self.done, locale)

    def question(self, question_id: str) -> Question | None:
        for q in self.questions:
            if q.id == question_id:
                return q
        return None

    def index(self, question_id: str) -> int:
        for i, q in enumerate(self.questions):
            if q.id == question_id:
                return i
        return -1


# --- loading -----------------------------------------------------------------------------


def _texts(raw: Any, where: str, src: str, *, required: bool = True) -> dict[str, str]:
    if raw is None and not required:
        return {}
    if isinstance(raw, str):
        raise FormError(src, f"{where}: give the text per language, e.g. {{ru: ..., en: ...}}")
    if not isinstance(raw, dict):
        raise FormError(src, f"{where}: expected texts {{ru: ..., en: ...}}")
    out: dict[str, str] = {}
    for loc in LOCALES:
        value = raw.get(loc)
        if not isinstance(value, str) or not value.strip():
            raise FormError(src, f"{where}: the «{loc}» text is missing or empty")
        out[loc] = value.strip()
        # The wording for a child under 14 (docs/texts.md), where it differs: `ru_child`.
        child = raw.get(f"{loc}_{CHILD}")
        if child is not None:
            if not isinstance(child, str) or not child.strip():
                raise FormError(src, f"{where}: the «{loc}_{CHILD}» text is empty")
            out[f"{loc}_{CHILD}"] = child.strip()
    unknown = set(raw) - set(LOCALES) - {f"{loc}_{CHILD}" for loc in LOCALES}
    if unknown:
        raise FormError(src, f"{where}: unknown language(s) {sorted(unknown)}")
    return out


def _int(raw: Any, where: str, src: str) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise FormError(src, f"{where}: expected a whole number, got {raw!r}")
    return raw


def _options(raw: dict[str, Any], where: str, src: str) -> tuple[Option, ...]:
    group = raw.get("vocabulary")
    items = raw.get("options")
    if group is not None and items is not None:
        raise FormError(src, f"{where}: use either «vocabulary» or «options», not both")
    if group is not None:
        if group not in vocabulary.GROUPS:
            raise FormError(
                src, f"{where}: unknown vocabulary «{group}»; known: {sorted(vocabulary.GROUPS)}"
            )
        exclude = set(raw.get("exclude") or ())
        unknown = exclude - set(vocabulary.GROUPS[group])
        if unknown:
            raise FormError(src, f"{where}: «exclude» has unknown codes {sorted(unknown)}")
        return tuple(
            Option(code=c, vocabulary_group=group)
            for c in vocabulary.GROUPS[group]
            if c not in exclude
        )
    if items is None:
        return ()
    if not isinstance(items, list) or not items:
        raise FormError(src, f"{where}: «options» must be a non-empty list")
    options: list[Option] = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or "code" not in item:
            raise FormError(src, f"{where}: option {n} needs a «code»")
        code = str(item["code"])
        if not ID_RE.match(code):
            raise FormError(src, f"{where}: option code «{code}» must be lower_snake_case")
        labels = _texts(
            {k: v for k, v in item.items() if k != "code"}, f"{where} option {code}", src
        )
        options.append(Option(code=code, labels=labels))
    codes = [o.code for o in options]
    if len(set(codes)) != len(codes):
        raise FormError(src, f"{where}: option codes repeat")
    return tuple(options)


CONDITION_KEYS = {"question", "equals", "in", "not_equals", "contains", "answered", "lt", "gte"}


def _conditions(
    raw: Any,
    where: str,
    src: str,
    earlier: dict[str, Question],
    known: set[str],
    key: str = "when",
) -> tuple[Condition, ...]:
    """The clauses of `when:` (or its older name `show_if:`), checked against the form.

    A clause may only look at an earlier question: the answer must exist by the time the
    question is reached. A choice question's values must be among its option codes
    (`yes`/`no` unquoted in YAML arrive as booleans and are read as those codes).
    """
    if raw is None:
        return ()
    clauses = raw if isinstance(raw, list) else [raw]
    out: list[Condition] = []
    for clause in clauses:
        if not isinstance(clause, dict) or "question" not in clause:
            raise FormError(src, f"{where}: «{key}» needs «question»")
        unknown = set(clause) - CONDITION_KEYS
        if unknown:
            raise FormError(src, f"{where}: «{key}» has unknown keys {sorted(unknown)}")
        target = clause["question"]
        if target not in earlier:
            if target in known:
                raise FormError(
                    src,
                    f"{where}: «{key}» refers to «{target}», which is not an earlier question "
                    "(a condition can only look at an answer given before)",
                )
            raise FormError(src, f"{where}: «{key}» refers to an unknown question «{target}»")
        source = earlier[target]
        equals = _condition_value(clause.get("equals"), source, where, src, key)
        not_equals = _condition_value(clause.get("not_equals"), source, where, src, key)
        one_of = clause.get("in")
        if one_of is not None:
            if not isinstance(one_of, list) or not one_of:
                raise FormError(src, f"{where}: «{key}»: «in» must be a non-empty list")
            one_of = [_condition_value(v, source, where, src, key) for v in one_of]
        out.append(
            Condition(
                question=target,
                equals=equals,
                one_of=tuple(one_of) if one_of is not None else None,
                not_equals=not_equals,
                contains=clause.get("contains"),
                answered=clause.get("answered"),
                less_than=clause.get("lt"),
                at_least=clause.get("gte"),
            )
        )
    return tuple(out)


def _condition_value(value: Any, source: Question, where: str, src: str, key: str) -> Any:
    if value is None or not source.options:
        return value
    if isinstance(value, bool):
        value = "yes" if value else "no"
    codes = [o.code for o in source.options]
    if str(value) not in codes:
        raise FormError(
            src,
            f"{where}: «{key}» compares «{source.id}» with «{value}», "
            f"which is not one of its options {codes}",
        )
    return str(value)


QUESTION_KEYS = {
    "id",
    "type",
    "text",
    "hint",
    "required",
    "min",
    "max",
    "options",
    "vocabulary",
    "exclude",
    "source",
    "other",
    "show_if",
    "when",
    "maps_to",
    "before_consent",
    "min_date",
    "max_date",
}


def _question(
    raw: Any, n: int, src: str, earlier: dict[str, Question], known: set[str]
) -> Question:
    if not isinstance(raw, dict):
        raise FormError(src, f"question {n}: expected a mapping")
    qid = raw.get("id")
    if not isinstance(qid, str) or not ID_RE.match(qid):
        raise FormError(src, f"question {n}: «id» must be lower_snake_case, got {qid!r}")
    where = f"question «{qid}»"
    unknown = set(raw) - QUESTION_KEYS
    if unknown:
        raise FormError(src, f"{where}: unknown keys {sorted(unknown)}")
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        raise FormError(
            src, f"{where}: «type» must be one of {list(QUESTION_TYPES)}, got {qtype!r}"
        )
    lo, hi = _int(raw.get("min"), where, src), _int(raw.get("max"), where, src)
    if lo is not None and hi is not None and lo > hi:
        raise FormError(src, f"{where}: «min» {lo} is greater than «max» {hi}")
    options = _options(raw, where, src)
    source = raw.get("source")
    if qtype in CHOICE_TYPES:
        if not options and not source:
            raise FormError(
                src, f"{where}: a choice question needs «options», «vocabulary» or «source»"
            )
        if options and source:
            raise FormError(src, f"{where}: use either fixed options or «source», not both")
        if qtype == "multi" and hi is not None and options and hi > len(options) + 1:
            raise FormError(src, f"{where}: «max» {hi} is more than the number of options")
    elif options or source:
        raise FormError(src, f"{where}: only single/multi questions have options")
    if qtype == "scale":
        if lo is None or hi is None:
            raise FormError(src, f"{where}: a scale needs «min» and «max» (e.g. 1 and 5)")
        if hi - lo > 10:
            raise FormError(src, f"{where}: a scale may have at most 11 points")
    if qtype == "text" and hi is not None and hi > TEXT_MAX:
        raise FormError(src, f"{where}: «max» length is at most {TEXT_MAX}")
    maps_to = raw.get("maps_to")
    if maps_to is not None:
        if maps_to not in MAPPABLE:
            raise FormError(
                src, f"{where}: «maps_to» must be one of {sorted(MAPPABLE)}, got {maps_to!r}"
            )
        if qtype not in MAPPABLE[maps_to]:
            raise FormError(src, f"{where}: a {qtype} question cannot fill «{maps_to}»")
    other = bool(raw.get("other", False))
    if other and qtype not in CHOICE_TYPES:
        raise FormError(src, f"{where}: «other» is only for single/multi questions")
    for key in ("min_date", "max_date"):
        value = raw.get(key)
        if value is not None and qtype != "date":
            raise FormError(src, f"{where}: «{key}» is only for date questions")
        if value is not None and value != "today":
            from datetime import date

            try:
                date.fromisoformat(str(value))
            except ValueError as exc:
                raise FormError(src, f"{where}: «{key}» must be YYYY-MM-DD or today") from exc
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise FormError(src, f"{where}: «required» must be true or false")
    if raw.get("before_consent") and maps_to != "display_name":
        # 152-ФЗ and the consent text: before consent the bot keeps the name only.
        raise FormError(
            src, f"{where}: «before_consent» is only for the name (maps_to: display_name)"
        )
    return Question(
        id=qid,
        type=qtype,
        text=_texts(raw.get("text"), f"{where} text", src),
        hint=_texts(raw.get("hint"), f"{where} hint", src, required=False),
        required=required,
        min=lo,
        max=hi,
        options=options,
        source=str(source) if source else None,
        other=other,
        show_if=_show_if(raw, where, src, earlier, known),
        maps_to=maps_to,
        before_consent=bool(raw.get("before_consent", False)),
        min_date=raw.get("min_date"),
        max_date=raw.get("max_date"),
    )


def _show_if(
    raw: dict[str, Any], where: str, src: str, earlier: dict[str, Question], known: set[str]
) -> tuple[Condition, ...]:
    if "when" in raw and "show_if" in raw:
        raise FormError(src, f"{where}: use «when» or «show_if», not both")
    key = "when" if "when" in raw else "show_if"
    return _conditions(raw.get(key), where, src, earlier, known, key)


def parse_form(data: Any, source: str) -> FormDef:
    """A checked form from parsed YAML; `FormError` names `source` and the problem."""
    if not isinstance(data, dict):
        raise FormError(source, "the file must be a mapping with «name» and «questions»")
    unknown = set(data) - {"name", "title", "questions", "review", "done"}
    if unknown:
        raise FormError(source, f"unknown top-level keys {sorted(unknown)}")
    name = data.get("name")
    if not isinstance(name, str) or not ID_RE.match(name):
        raise FormError(source, f"«name» must be lower_snake_case, got {name!r}")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise FormError(source, "«questions» must be a non-empty list")
    known = {str(raw["id"]) for raw in raw_questions if isinstance(raw, dict) and "id" in raw}
    earlier: dict[str, Question] = {}
    for n, raw in enumerate(raw_questions, 1):
        q = _question(raw, n, source, earlier, known)
        if q.id in earlier:
            raise FormError(source, f"question id «{q.id}» repeats")
        earlier[q.id] = q
    questions = tuple(earlier.values())
    seen_main = False
    for q in questions:
        if not q.before_consent:
            seen_main = True
        elif seen_main:
            raise FormError(
                source, f"question «{q.id}»: «before_consent» questions must come first"
            )
    targets = [q.maps_to for q in questions if q.maps_to]
    if len(set(targets)) != len(targets):
        raise FormError(source, "two questions fill the same «maps_to» column")
    review = data.get("review", True)
    if not isinstance(review, bool):
        raise FormError(source, "«review» must be true or false")
    return FormDef(
        name=name,
        title=_texts(data.get("title"), "title", source),
        questions=questions,
        review=review,
        done=_texts(data.get("done"), "done", source, required=False),
        source_file=source,
    )


def load_file(path: Path) -> FormDef:
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise FormError(source, f"not valid YAML{where}") from exc
    except OSError as exc:
        raise FormError(source, f"cannot be read ({type(exc).__name__})") from exc
    form = parse_form(data, source)
    if form.name != path.stem:
        raise FormError(source, f"«name» is «{form.name}» but the file is «{path.stem}.yaml»")
    return form
