"""Scheduled jobs. Each module registers its jobs with `@scheduled`; import it here."""

from . import (  # noqa: F401
    alerts,
    backups,
    cases,
    community,
    digest,
    feedback,
    housekeeping,
    meetings,
    retention,
)
