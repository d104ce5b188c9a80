"""A local MAX (the Russian national messenger) for tests and the demo.

`MaxEmulator` speaks MAX's Bot API over HTTP and validates every request against the
official OpenAPI description; `MaxUser` is a scripted person with a MAX client.
"""

from .emulator import DEFAULT_TOKEN, MaxApiError, MaxEmulator
from .records import CallbackRecord, MaxMessage, Rejection
from .scripted import MaxGroup, MaxUser

__all__ = [
    "DEFAULT_TOKEN",
    "CallbackRecord",
    "MaxApiError",
    "MaxEmulator",
    "MaxGroup",
    "MaxMessage",
    "MaxUser",
    "Rejection",
]
