"""Every curator button fits Telegram's 64 bytes of callback data, even with big ids."""

from __future__ import annotations

from bot.keyboards.curator import (
    CastCb,
    CheckCb,
    InvCb,
    MeetCb,
    PairCb,
    PickCb,
    PrefCb,
    ProgCb,
    RegCb,
    WizCb,
)
from bot.services.enrolment import registry
from bot.services.programme import checklist, programmes
from bot.services.vocabulary import MENTORING_FORMS

BIG = 9_999_999_999_999


def test_callback_data_stays_within_64_bytes() -> None:
    packed = [
        *(ProgCb(action="edit", id=BIG, value=f).pack() for f in programmes.EDITABLE),
        *(WizCb(action="toggle", value=f).pack() for f in MENTORING_FORMS),
        *(WizCb(action="pick", value=code).pack() for code, _zone in programmes.TIMEZONES),
        *(WizCb(action="pick", value=q).pack() for q in programmes.QUIET_OPTIONS),
        InvCb(action="regen", kind="co_curator", id=BIG).pack(),
        *(
            RegCb(action="untrained", role=role, pid=BIG, page=999, flt=flt, val=10).pack()
            for role, filters in registry.FILTERS.items()
            for flt in filters
        ),
        MeetCb(action="tog", id=BIG, value=str(BIG), page=999).pack(),
        MeetCb(action="time", value="2026-12-31T1930").pack(),
        PrefCb(action="close").pack(),
        PickCb(action="pick", r=BIG, c=BIG, t=BIG, p=999).pack(),
        PairCb(action="assignto", id=BIG, m=BIG, to=BIG, page=999).pack(),
        *(CheckCb(action="tick", stage=7, key=key).pack() for _s, key, _a in checklist.ITEMS),
        CastCb(action="aud", value="mentees").pack(),
    ]
    too_long = [data for data in packed if len(data.encode()) > 64]
    assert not too_long
    assert len(set(packed)) == len(packed)
