"""The one place the bot reads the time from, so tests and the demo can move it forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time in UTC; `TestClock` lets tests shift it."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class TestClock(Clock):
    """A clock that starts at a fixed moment (or now) and moves only when told."""

    __test__ = False  # not a pytest test class

    def __init__(self, start: datetime | None = None) -> None:
        self._offset = timedelta(0)
        self._frozen = start

    def now(self) -> datetime:
        if self._frozen is not None:
            return self._frozen + self._offset
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._offset += delta if delta is not None else timedelta(**kwargs)
        return self.now()

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("moment must be timezone-aware")
        self._frozen = moment
        self._offset = timedelta(0)


_clock: Clock = Clock()


def get_clock() -> Clock:
    return _clock


def set_clock(clock: Clock) -> None:
    global _clock
    _clock = clock


def now() -> datetime:
    return _clock.now()


class FileClock(Clock):
    """A clock shifted by the number of seconds written in a file.

    Used when the bot runs as a separate process in tests or the demo: the test writes
    the offset into the file (`CLOCK_OFFSET_FILE`) and the bot sees the new time at once.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._mtime: int | None = None
        self._offset = timedelta(0)

    def _read(self) -> timedelta:
        import os

        try:
            mtime = os.stat(self._path).st_mtime_ns
        except FileNotFoundError:
            return timedelta(0)
        if mtime != self._mtime:
            with open(self._path, encoding="utf-8") as fh:
                text = fh.read().strip()
            self._offset = timedelta(seconds=float(text or 0))
            self._mtime = mtime
        return self._offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self._read()

    @staticmethod
    def write_offset(path: str, seconds: float) -> None:
        import os

        tmp = f"{path}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(str(seconds))
        os.replace(tmp, path)


def clock_from_env() -> Clock:
    """The clock for a process: `CLOCK_OFFSET_FILE` makes it a `FileClock`."""
    import os

    path = os.environ.get("CLOCK_OFFSET_FILE")
    return FileClock(path) if path else Clock()
