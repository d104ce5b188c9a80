"""A local Telegram Bot API server for tests, the demo and benchmarks."""

from .api import Emulator
from .core import DEFAULT_TOKEN
from .errors import ApiError, EmulatorError, WaitTimeout
from .limits import RateLimits
from .records import CallbackAnswer, ChatMessage, FileRecord
from .scripted import ScriptedGroup, ScriptedUser

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "CallbackAnswer",
    "ChatMessage",
    "Emulator",
    "EmulatorError",
    "FileRecord",
    "RateLimits",
    "ScriptedGroup",
    "ScriptedUser",
    "WaitTimeout",
]
