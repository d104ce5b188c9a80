"""A programme's time zone in words a person reads: «время московское», «по времени
Красноярска, UTC+7». The zone's code (Europe/Moscow) is for the machine only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.infra.clock import now
from bot.texts import has_text, t

# The zones a programme may have (bot/services/programme/programmes.py) and a few more a deployment
# may set in TIMEZONE; the text `zone-city-<code>` is the city in the genitive.
_CITY = {
    "Europe/Kaliningrad": "kaliningrad",
    "Europe/Samara": "samara",
    "Asia/Yekaterinburg": "yekaterinburg",
    "Asia/Omsk": "omsk",
    "Asia/Novosibirsk": "novosibirsk",
    "Asia/Krasnoyarsk": "krasnoyarsk",
    "Asia/Irkutsk": "irkutsk",
    "Asia/Yakutsk": "yakutsk",
    "Asia/Vladivostok": "vladivostok",
    "Asia/Magadan": "magadan",
    "Asia/Kamchatka": "kamchatka",
}
_MOSCOW = {"Europe/Moscow", "Europe/Simferopol", "Europe/Volgograd", "Europe/Kirov"}


def utc_offset(zone: str, at: datetime | None = None) -> str:
    """«UTC+7», «UTC+5:30», «UTC» for the zone at the moment (now by default)."""
    try:
        info = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    delta = (at or now()).astimezone(info).utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_words(zone: str | None, locale: str | None) -> str:
    """The zone as a phrase to put after a time or in brackets."""
    zone = zone or "Europe/Moscow"
    if zone in _MOSCOW:
        return t("zone-moscow", locale)
    code = _CITY.get(zone)
    offset = utc_offset(zone)
    if code and has_text(f"zone-city-{code}"):
        return t("zone-city", locale, city=t(f"zone-city-{code}", locale), offset=offset)
    return t("zone-offset", locale, offset=offset)
