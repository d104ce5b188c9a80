"""What people type, made safe to store and to show.

- Control characters (NUL above all) are refused: PostgreSQL cannot store a NUL in text,
  and nobody types one by hand. Line breaks and tabs are ordinary text.
- Bidirectional controls (U+202E «RIGHT-TO-LEFT OVERRIDE» and its kin) are removed from
  every answer: they turn the text around it backwards on the curator's screen, so
  «\u202eабв» would show as «вба», and a name could pass for another.
- A name also loses every invisible formatting character (zero-width spaces and joiners,
  soft hyphens, word joiners) and needs at least two letters one can see: a name made of
  invisible characters is no name, and the curator could not tell such people apart.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings, overrides and isolates, the LRM/RLM/ALM marks (Unicode UAX #9).
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# C0 and C1 controls and DEL, except tab, line feed and carriage return.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MIN_NAME_LETTERS = 2


def has_controls(text: str) -> bool:
    """Whether the text holds a character that is not text (NUL and the like)."""
    return CONTROLS.search(text) is not None


def without_bidi(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


def clean_name(text: str) -> str:
    """The name without invisible formatting characters, spaces collapsed and trimmed.

    Unicode category Cf holds the bidi controls, zero-width spaces and joiners, the soft
    hyphen, the word joiner and the byte order mark: none belongs in a name.
    """
    kept = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(kept.split())


def visible_letters(text: str) -> int:
    """How many letters (Unicode category L*) the text has."""
    return sum(1 for ch in text if unicodedata.category(ch).startswith("L"))


def is_a_name(text: str) -> bool:
    """A cleaned name with at least two visible letters."""
    return visible_letters(text) >= MIN_NAME_LETTERS
