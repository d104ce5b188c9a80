"""What people read in a demo's transcript: every message the bot sent, and the checks that
it reads as Russian for people — no bracket endings, no codes, groups called groups, and a
child under 14 addressed as a child after the consent (docs/texts.md)."""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

_EVENT = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} ", re.MULTILINE)
_CHAT = re.compile(r"^--- transcript of \w+ chat (-?\d+) .*$", re.MULTILINE)
# Words the code uses for things, never meant for people.
_CODES = re.compile(r"\b(weekly|biweekly|goals_reached|mentor_approved|[a-z]+_[a-z_]+)\b")
_BRACES = re.compile(r"\{[^{}\n]{0,60}\}")
_NOT_TEXT = re.compile(r"https?://\S+|\S+@\S+\.\w+|[@/]\w+")
# A group's mentor or mentee told about «the» mentee or «the» pair.
_SINGULAR = (
    "Ваш наставляемый:",
    "Ваша наставляемая:",
    "о наставляемом",
    "стала «Лучшей парой»",
    "У вас появилась пара!",
    "поддержать вашу пару",
)


def bot_messages(transcript: str) -> dict[int, list[str]]:
    """Every text the bot sent or edited in, with its button labels, by chat id."""
    chats: dict[int, list[str]] = {}
    starts = list(_CHAT.finditer(transcript))
    for n, start in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(transcript)
        body = transcript[start.end() : end]
        marks = list(_EVENT.finditer(body))
        texts = chats.setdefault(int(start.group(1)), [])
        for i, mark in enumerate(marks):
            event = body[mark.end() : marks[i + 1].start() if i + 1 < len(marks) else None]
            head = re.match(r"bot (→|edited) #\d+: ", event)
            if head is None:
                continue
            text, _, buttons = event[head.end() :].partition(" {buttons: ")
            text = text.split(" {keyboard: ")[0]
            labels = re.findall(r"(?:^|\[| \| )([^\[\]|]+?)→", buttons)
            texts.append("\n".join([text.strip(), *labels]))
    return chats


_MAX_PERSON = re.compile(r"^--- (.+?) \((?:наставник|наставляемый)\) ---$", re.MULTILINE)
_MAX_LINE = re.compile(r"^\[(bot|user)\] ", re.MULTILINE)


def max_bot_messages(transcript: str) -> dict[str, list[str]]:
    """Every text the bot sent in MAX, with its button labels, by the participant's name
    (the MAX demo's transcript is kept per person)."""
    full = transcript.split("=== Полная переписка ===")[-1]
    chats: dict[str, list[str]] = {}
    starts = list(_MAX_PERSON.finditer(full))
    for n, start in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(full)
        body = full[start.end() : end].split("\n--- ")[0]
        marks = list(_MAX_LINE.finditer(body))
        texts = chats.setdefault(start.group(1), [])
        for i, mark in enumerate(marks):
            if mark.group(1) != "bot":
                continue
            event = body[mark.end() : marks[i + 1].start() if i + 1 < len(marks) else None]
            text, _, buttons = event.strip().rpartition(" [")
            labels = re.findall(r"'([^']*)'", buttons) if text and buttons.endswith("]") else []
            texts.append("\n".join([text if labels else event.strip(), *labels]))
    return chats


def unreadable(chats: dict[K, list[str]], groups: set[K]) -> list[str]:
    """Bracket endings, codes, time zones' and texts' codes, and a group addressed as a pair."""
    found: list[str] = []
    for chat, texts in chats.items():
        for text in texts:
            readable = _NOT_TEXT.sub("", text)
            for bad in ("(а)", "(на)", "(ла)", "Europe/", "Asia/", "Версия текста"):
                if bad in text:
                    found.append(f"{chat}: {bad!r} in {text[:120]!r}")
            for code in _CODES.findall(readable) + _BRACES.findall(readable):
                found.append(f"{chat}: code {code!r} in {text[:120]!r}")
            if chat in groups:
                found += [f"{chat}: {s!r} to a group" for s in _SINGULAR if s in text]
    return found


# «вы» and its forms, and the imperative of «вы» («нажмите», «ответьте»).
_ADULT_WORDS = re.compile(
    r"\b(?:вы|вас|вам|вами|ваш|ваша|ваше|ваши|вашего|вашей|вашему|вашим|вашими|ваших|вашу"
    r"|[а-яё]{3,}(?:ите|йте))\b",
    re.IGNORECASE,
)
# Words that only look like the imperative of «вы».
_NOT_IMPERATIVE = {"сайте"}
_CONSENT_TITLE = "Согласие на обработку данных"


def adult_words_to_children(chats: dict[K, list[str]], children: set[K]) -> list[str]:
    """What the bot wrote to a child after the consent in the adults' «вы»."""
    found: list[str] = []
    for chat in children:
        texts = chats.get(chat, [])
        consent = max((i for i, x in enumerate(texts) if x.startswith(_CONSENT_TITLE)), default=-1)
        assert consent >= 0, chat  # the child went through the consent
        for text in texts[consent + 1 :]:
            words = [w for w in _ADULT_WORDS.findall(text) if w.lower() not in _NOT_IMPERATIVE]
            if words:
                found.append(f"{chat}: {words} in {text[:160]!r}")
    return found
