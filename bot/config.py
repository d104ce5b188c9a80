"""Settings of the bot, read from the environment and `.env`."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TELEGRAM_API_DEFAULT = "https://api.telegram.org"
MAX_API_DEFAULT = "https://platform-api.max.ru"


def _parse_ids(value: object) -> list[int]:
    if value is None or value == "":
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, str):
        from bot.max.ids import parse_staff_id

        parts = [p.strip() for p in value.replace(";", ",").split(",")]
        return [parse_staff_id(p) for p in parts if p]
    if isinstance(value, list | tuple | set):
        return [int(v) for v in value]
    raise ValueError("expected a comma-separated list of user ids (Telegram, or max:<id>)")


class Settings(BaseSettings):
    """Every setting is documented in `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_url: str = TELEGRAM_API_DEFAULT
    # MAX (the national messenger): the bot's token from business.max.ru, and its API.
    max_bot_token: SecretStr | None = None
    max_api_url: str = MAX_API_DEFAULT
    # Requests a second to MAX (MAX allows about 30; a sixth is left as room).
    max_requests_per_second: int = Field(default=25, ge=1)
    database_url: str = "sqlite+aiosqlite:///data/nastavnik.db"
    redis_url: str | None = None
    curator_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    coordinator_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_locale: str = "ru"
    timezone: str = "Europe/Moscow"

    webhook_base_url: str | None = None
    webhook_path: str = "/telegram/webhook"
    max_webhook_path: str = "/max/webhook"
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = 8080
    # /healthz and /metrics on their own port (any mode; the webhook server has them too).
    metrics_port: int | None = None
    # Seconds a stopping process waits for the updates in hand to finish.
    shutdown_timeout: float = 8.0

    # The event loop of `run` and `webhook`: uvloop's (less CPU for every request and
    # reply) or Python's own asyncio loop.
    event_loop: Literal["uvloop", "asyncio"] = "uvloop"

    log_level: str = "INFO"
    log_json: bool = False
    forms_dir: str | None = None
    # A folder with the school's own Word templates for /documents (same file names as
    # bot/documents/templates); the ones not there are the built-in ones.
    documents_dir: str | None = None
    # Flood control: how many updates one user may send per `throttle_period` seconds.
    throttle_rate: int = 5
    throttle_period: float = 1.0
    # The delivery worker's limits (Telegram's documented limits by default).
    delivery_global_per_s: float = 30.0
    delivery_chat_per_s: float = 1.0
    delivery_group_per_min: float = 20.0
    request_timeout: float = 30.0
    # Background work in this process (the delivery worker and the scheduler).
    workers_enabled: bool = True
    # Tests and the demo run scheduled jobs this many times more often.
    scheduler_speed: float = 1.0
    # Retention (the consent text states these terms): days a declined, unanswered or
    # parent-declined consent is kept; days a programme's data is kept after it ends.
    retention_unconsented_days: int = Field(default=30, ge=1)
    retention_after_programme_days: int = Field(default=365, ge=1)
    # Backups of the SQLite database (`python -m bot backup`): where they go when no
    # path is given, and how many days they live (0: until deleted by hand).
    backup_dir: str = "data/backups"
    backup_keep_days: int = 30
    # The web dashboard (docs/dashboard.md). The embedded mode serves it on its own
    # address when DASHBOARD_BASE_URL says where browsers find it; webhook mode serves it
    # on the webhook server (under WEBHOOK_BASE_URL when DASHBOARD_BASE_URL is empty).
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int = 8090
    dashboard_base_url: str | None = None
    dashboard_session_hours: float = Field(default=8.0, gt=0)

    @field_validator("curator_ids", "coordinator_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> list[int]:
        return _parse_ids(value)

    @field_validator(
        "redis_url", "webhook_base_url", "metrics_port", "dashboard_base_url", mode="before"
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("bot_token", "max_bot_token", "webhook_secret", mode="before")
    @classmethod
    def _empty_secret_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def serves_telegram(self) -> bool:
        return self.bot_token is not None

    @property
    def serves_max(self) -> bool:
        return self.max_bot_token is not None

    @property
    def secrets(self) -> tuple[str, ...]:
        """The tokens and the webhook secret: never written to a log."""
        values = (self.bot_token, self.max_bot_token, self.webhook_secret)
        return tuple(v.get_secret_value() for v in values if v is not None)

    @property
    def token(self) -> str:
        if self.bot_token is None:
            raise RuntimeError("BOT_TOKEN is not set")
        return self.bot_token.get_secret_value()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
