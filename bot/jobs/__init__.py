"""Scheduled jobs. Each module registers its jobs with `@scheduled`; import it here."""

from . import (  # noqa: F401
    alerts,
    backups,
    cases,
    community,
    feedback,
    housekeeping,
    meetings,
    retention,
)
