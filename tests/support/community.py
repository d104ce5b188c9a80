"""Helpers for the community chat tests: a fake `ChatAdmin` and router detaching."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.services.community.chat import BotRights


@dataclass
class FakeChatAdmin:
    """Records what the service asked the messenger to do; rights are set by the test."""

    rights: BotRights = field(default_factory=lambda: BotRights("administrator", True, True))
    reachable: bool = True
    links: list[tuple[int, str]] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    approved: list[tuple[int, int]] = field(default_factory=list)
    declined: list[tuple[int, int]] = field(default_factory=list)
    removed: list[tuple[int, int]] = field(default_factory=list)
    told: list[tuple[int, str]] = field(default_factory=list)
    added: list[tuple[int, int]] = field(default_factory=list)
    refuse_adding: set[int] = field(default_factory=set)  # MAX: whom it does not add

    async def bot_rights(self, chat_id: int) -> BotRights:
        return self.rights

    async def create_join_link(self, chat_id: int, name: str) -> str:
        link = f"https://t.me/+link{len(self.links) + 1}"
        self.links.append((chat_id, link))
        return link

    async def revoke_link(self, chat_id: int, link: str) -> None:
        self.revoked.append(link)

    async def approve(self, chat_id: int, user_id: int) -> bool:
        self.approved.append((chat_id, user_id))
        return True

    async def decline(self, chat_id: int, user_id: int) -> bool:
        self.declined.append((chat_id, user_id))
        return True

    async def remove(self, chat_id: int, user_id: int) -> bool:
        self.removed.append((chat_id, user_id))
        return True

    async def add(self, chat_id: int, user_ids: list[int]) -> list[int] | None:
        if not self.reachable:
            return None
        done = [uid for uid in user_ids if uid not in self.refuse_adding]
        self.added += [(chat_id, uid) for uid in done]
        return done

    async def tell(self, chat_id: int, text: str) -> bool:
        if not self.reachable:
            return False
        self.told.append((chat_id, text))
        return True
