"""A MAX update's id at the webhook: the same for each delivery of it, different for
different updates, later for later ones, inside a signed 64-bit column."""

from __future__ import annotations

from bot.max.ids import is_max_update
from bot.max.updates import delivery_id


def _update(stamp: int, text: str) -> dict[str, object]:
    return {
        "update_type": "message_created",
        "timestamp": stamp,
        "message": {"body": {"mid": f"mid.{text}", "seq": 1, "text": text}},
    }


def test_the_same_update_twice_has_one_id_and_others_differ() -> None:
    stamp = 1_790_000_000_123  # milliseconds, as MAX sends them
    first = delivery_id(_update(stamp, "Василий Петров"))
    assert first == delivery_id(_update(stamp, "Василий Петров"))
    assert first != delivery_id(_update(stamp, "Мария Иванова"))  # the same millisecond
    assert delivery_id(_update(stamp + 1, "Василий Петров")) > first
    assert is_max_update(first) and first < 2**63


def test_a_time_out_of_range_still_gives_an_id_in_range() -> None:
    for stamp in (-5, 0, 2**60, "soon"):
        update_id = delivery_id({"update_type": "bot_started", "timestamp": stamp})
        assert is_max_update(update_id) and update_id < 2**63
