"""Word templates (docxtpl, Jinja inside .docx) filled into finished documents.

A template is looked up first in the school's folder (`DOCUMENTS_DIR`), then among the
shipped ones (`bot/documents/templates`). A template with a mistake never gives a
half-filled file: the rendering either completes, with no `{{`/`{%` left anywhere in
the result, or raises `TemplateError` naming the template and the tag at fault.
Values are cleaned of `{{`/`{%` before they go in, so a name typed by a participant can
never look like a tag left unfilled.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "documents" / "templates"
TEMPLATE_NAMES = (
    "order",
    "mentors",
    "pair_programme",
    "final_report",
    "municipal",
    "consents",
)
TAG = re.compile(
    r"\{\{(?:(?!\{\{|\{%).)*?\}\}|\{%(?:(?!\{\{|\{%).)*?%\}|\{\{[^{}]*\}?|\{%[^{}%]*", re.S
)
LEFT_OVER = re.compile(r"\{\{|\{%|%\}|\}\}")
XML_TAG = re.compile(r"<[^>]+>")
UNDEFINED = re.compile(
    r"'([^']+)' is undefined|has no attribute '([^']+)'|access to attribute '([^']+)'"
)
IMAGE_WIDTH_CM = 16

_documents_dir: Path | None = None


class TemplateError(Exception):
    """A template that cannot be filled: which file, which tag, what is wrong."""

    def __init__(self, template: str, tag: str, detail: str) -> None:
        super().__init__(f"template {template}: tag {tag}: {detail}")
        self.template = template
        self.tag = tag
        self.detail = detail


@dataclass(frozen=True)
class Image:
    """A picture to put where the template has `{{ name }}` (a PNG, as bytes)."""

    content: bytes
    width_cm: float = IMAGE_WIDTH_CM


class _CachedEnvironment(SandboxedEnvironment):
    """Compiles each part of a template once: rendering the same template again (one file
    per pair) then costs only the filling. Sandboxed: a school's template reaches the
    values it is given and nothing of the bot behind them."""

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True)
        self.compiled: dict[str, jinja2.Template] = {}

    def from_string(  # type: ignore[override]
        self,
        source: str,
        globals: MutableMapping[str, Any] | None = None,
        template_class: Any = None,
    ) -> jinja2.Template:
        found = self.compiled.get(source)
        if found is None:
            found = super().from_string(source, globals, template_class)
            if len(self.compiled) > 64:  # a few templates, a few parts each
                self.compiled.clear()
            self.compiled[source] = found
        return found


_environment = _CachedEnvironment()


def configure(documents_dir: str | Path | None) -> None:
    """Use the school's templates from `documents_dir`; each one found there is checked
    now, so a broken file stops the start with its name and tag."""
    global _documents_dir
    _documents_dir = Path(documents_dir) if documents_dir else None
    for name in TEMPLATE_NAMES:
        path = template_path(name)
        if path.parent != SHIPPED_DIR:
            check_template(path, known_names(name))


def known_names(name: str) -> frozenset[str]:
    """The values the bot gives a template: those the shipped one uses."""
    shipped = _load(SHIPPED_DIR / f"{name}.docx")
    return frozenset(shipped.get_undeclared_template_variables(jinja2.Environment()))


def template_path(name: str) -> Path:
    if _documents_dir is not None:
        custom = _documents_dir / f"{name}.docx"
        if custom.is_file():
            return custom
    return SHIPPED_DIR / f"{name}.docx"


def _load(path: Path) -> DocxTemplate:
    try:
        template = DocxTemplate(str(path))
        template.init_docx()
    except Exception as exc:  # not a zip, not a Word file, unreadable
        raise TemplateError(path.name, "—", f"not a readable .docx ({type(exc).__name__})") from exc
    return template


def _sources(template: DocxTemplate) -> list[str]:
    """The body, headers and footers as docxtpl hands them to Jinja: a paragraph a line."""
    sources = [template.patch_xml(template.get_xml())]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _key, part in template.get_headers_footers(uri):
            sources.append(template.patch_xml(template.get_part_xml(part)))
    return [re.sub(r"<w:p([ >])", r"\n<w:p\1", source) for source in sources]


def _tags(template: DocxTemplate) -> list[str]:
    """Every tag of the template, in order, as its text reads."""
    found: list[str] = []
    for source in _sources(template):
        for line in source.splitlines():
            found.extend(m.group(0) for m in TAG.finditer(XML_TAG.sub("", line)))
    return found


def _compiles(tag: str) -> bool:
    try:
        jinja2.Environment(autoescape=True).from_string(tag)
    except jinja2.TemplateSyntaxError:
        return False
    return True


def _faulty_tag(template: DocxTemplate, exc: Exception, line: str | None = None) -> str:
    """The tag a Jinja error is about, as the school typed it."""
    tags = _tags(template)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        if line is not None:
            on_line = [m.group(0) for m in TAG.finditer(XML_TAG.sub("", line))]
            broken = [tag for tag in on_line if tag.startswith("{{") and not _compiles(tag)]
            if broken:
                return _clip(broken[0])
        for tag in tags:  # an expression that does not compile on its own
            if tag.startswith("{{") and not _compiles(tag):
                return _clip(tag)
        unbalanced = _unbalanced_block(tags)
        if unbalanced:
            return _clip(unbalanced)
        if line is not None:
            on_line = TAG.findall(XML_TAG.sub("", line))
            if on_line:
                return _clip(on_line[0])
    match = UNDEFINED.search(str(exc))
    if match:
        name = next(group for group in match.groups() if group)
        for tag in tags:
            if re.search(rf"\b{re.escape(name)}\b", tag):
                return _clip(tag)
        return name
    return "—"


def _unbalanced_block(tags: list[str]) -> str | None:
    stack: list[str] = []
    for tag in tags:
        words = tag.strip("{%}").split()
        words = [w for w in words if w not in ("p", "tr", "tc", "r", "-", "+")]
        if not words:
            continue
        word = words[0]
        if word in ("for", "if", "with", "macro", "block", "filter", "call"):
            stack.append(tag)
        elif word.startswith("end"):
            if not stack or not stack[-1].strip("{%").split():
                return tag
            opened = [w for w in stack[-1].strip("{%}").split() if w not in ("p", "tr", "tc")]
            if not opened or opened[0] != word[3:]:
                return tag
            stack.pop()
    return stack[-1] if stack else None


def _clip(tag: str) -> str:
    tag = " ".join(tag.split())
    return tag if len(tag) <= 80 else tag[:79] + "…"


def _clean(value: Any) -> Any:
    """Values as text safe to put in: `{{` and `{%` from data are broken apart."""
    if isinstance(value, str):
        return (
            value.replace("{{", "{ {")
            .replace("{%", "{ %")
            .replace("%}", "% }")
            .replace("}}", "} }")
        )
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _line(source: str, lineno: int | None) -> str | None:
    lines = source.splitlines()
    return lines[lineno - 1] if lineno and 0 < lineno <= len(lines) else None


def check_template(path: Path, known: frozenset[str] | None = None) -> None:
    """Compile every part of a template; `TemplateError` when a tag is broken or, given
    the `known` names, uses a name the bot does not give."""
    template = _load(path)
    for source in _sources(template):
        try:
            jinja2.Environment(autoescape=True).from_string(source)
        except jinja2.TemplateSyntaxError as exc:
            tag = _faulty_tag(template, exc, _line(source, exc.lineno))
            raise TemplateError(path.name, tag, exc.message or "") from exc
    if known is None:
        return
    unknown = sorted(set(template.get_undeclared_template_variables(jinja2.Environment())) - known)
    if unknown:
        error = jinja2.UndefinedError(f"'{unknown[0]}' is undefined")
        raise TemplateError(path.name, _faulty_tag(template, error), str(error))


def render(
    name: str, context: Mapping[str, Any], images: Mapping[str, Image] | None = None
) -> bytes:
    """The filled document as .docx bytes (CPU work: call it in a thread)."""
    path = template_path(name)
    template = _load(path)
    values = _clean(dict(context))
    for key, image in (images or {}).items():
        values[key] = InlineImage(template, io.BytesIO(image.content), width=Cm(image.width_cm))
    try:
        template.render(values, _environment, autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        line = _syntax_line(template, exc)
        raise TemplateError(path.name, _faulty_tag(template, exc, line), exc.message or "") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(path.name, _faulty_tag(template, exc), str(exc)) from exc
    except Exception as exc:  # a filter or a test used on the wrong kind of value
        raise TemplateError(path.name, _faulty_tag(template, exc), type(exc).__name__) from exc
    buffer = io.BytesIO()
    template.save(buffer)
    content = buffer.getvalue()
    left = left_over_tags(content)
    if left:
        raise TemplateError(path.name, _clip(left[0]), "a tag was left unfilled")
    return content


def _syntax_line(template: DocxTemplate, exc: jinja2.TemplateSyntaxError) -> str | None:
    """The paragraph of the part that failed to compile (the first one that does not)."""
    for source in _sources(template):
        try:
            jinja2.Environment(autoescape=True).from_string(source)
        except jinja2.TemplateSyntaxError as found:
            return _line(source, found.lineno)
    return None


def document_text(content: bytes) -> str:
    """All the text of a .docx (body, headers, footers), markup removed."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for item in archive.namelist():
            if item.startswith("word/") and item.endswith(".xml"):
                parts.append(XML_TAG.sub("", archive.read(item).decode("utf-8")))
    return "\n".join(parts)


def left_over_tags(content: bytes) -> list[str]:
    text = document_text(content)
    return [text[max(m.start() - 20, 0) : m.end() + 20] for m in LEFT_OVER.finditer(text)]
