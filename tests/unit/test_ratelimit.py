"""The send limiter: overall, per-chat and per-group limits hold for any traffic."""

from __future__ import annotations

import itertools
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.infra.ratelimit import SendLimiter, is_group

EPS = 1e-9

chats = st.sampled_from([101, 102, 103, 104, 105, -1001, -1002])
requests = st.lists(
    st.tuples(chats, st.floats(min_value=0, max_value=2.0, allow_nan=False)),
    min_size=1,
    max_size=300,
)


def simulate(limiter: SendLimiter, traffic: list[tuple[int, float]]) -> list[tuple[float, int]]:
    """Send each message as soon as the limiter allows, after its arrival gap."""
    now = 0.0
    sent: list[tuple[float, int]] = []
    for chat, gap in traffic:
        now += gap
        now += limiter.wait(chat, now)
        assert limiter.wait(chat, now) <= EPS
        limiter.take(chat, now)
        sent.append((now, chat))
    return sent


def max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(times):
        while times[start] <= moment - window + EPS:
            start += 1
        best = max(best, end - start + 1)
    return best


@settings(max_examples=150, deadline=None)
@given(requests, st.sampled_from([5.0, 30.0, 300.0]))
def test_no_window_breaks_any_limit(traffic: list[tuple[int, float]], rate: float) -> None:
    limiter = SendLimiter(rate, 1.0, 20.0, global_burst=3)
    sent = simulate(limiter, traffic)
    # Overall: a one-second window holds at most the rate plus the small burst.
    assert max_in_window([t for t, _ in sent], 1.0) <= rate + 3
    by_chat: dict[int, list[float]] = defaultdict(list)
    for moment, chat in sent:
        by_chat[chat].append(moment)
    for chat, times in by_chat.items():
        if is_group(chat):
            assert max_in_window(times, 60.0) <= 20
        else:
            gaps = [b - a for a, b in itertools.pairwise(times)]
            assert all(gap >= 1.0 - EPS for gap in gaps)


@settings(max_examples=100, deadline=None)
@given(requests)
def test_forgetting_idle_chats_changes_no_decision(traffic: list[tuple[int, float]]) -> None:
    plain, pruned = SendLimiter(30.0), SendLimiter(30.0)
    now = 0.0
    for chat, gap in traffic:
        now += gap
        pruned.forget_idle(now)
        wait = plain.wait(chat, now)
        assert abs(pruned.wait(chat, now) - wait) < EPS
        now += wait
        plain.take(chat, now)
        pruned.take(chat, now)


def test_back_to_back_sends_reach_the_overall_rate() -> None:
    limiter = SendLimiter(30.0)
    sent = simulate(limiter, [(1000 + i, 0.0) for i in range(300)])
    duration = sent[-1][0] - sent[0][0]
    # 300 messages to different people at 30/s take ten seconds, less the small burst.
    assert 9.8 <= duration + 3 / 30 <= 10.0 + EPS


def test_a_pause_stops_everyone() -> None:
    limiter = SendLimiter(30.0)
    limiter.take(5, 0.0)
    limiter.pause(7.0, 1.0)
    assert limiter.wait(6, 1.0) == 7.0
    assert limiter.wait(5, 7.9) > 0
    assert limiter.wait(6, 8.0) == 0


def test_groups_get_twenty_a_minute_and_private_chats_one_a_second() -> None:
    limiter = SendLimiter(30.0, 1.0, 20.0)
    limiter.take(-5, 0.0)
    limiter.take(5, 0.0)
    assert limiter.chat_wait(-5, 0.0) == 3.0
    assert limiter.chat_wait(5, 0.5) == 0.5
    assert limiter.chat_wait(7, 0.0) == 0.0
