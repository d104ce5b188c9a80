"""Groups: invite links, join requests, members, the bot's own membership, blocking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from emulator import Emulator, EmulatorError
from emulator.testing import RawClient


def kinds(updates: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [next(k for k in u if k != "update_id") for u in updates]


async def drain(raw: RawClient, emulator: Emulator) -> list[dict]:  # type: ignore[type-arg]
    updates = await raw.ok("getUpdates")
    await raw.ok("getUpdates", offset=emulator._next_update_id, timeout=0)
    return updates


async def test_join_request_flow(raw: RawClient, emulator: Emulator) -> None:
    owner = emulator.create_user("Owner")
    group = emulator.create_group("Пара №1", owner=owner)
    await raw.ok("getUpdates", allowed_updates=["message", "chat_member", "chat_join_request"])
    link = await raw.ok(
        "createChatInviteLink", chat_id=group.id, creates_join_request=True, name="pair"
    )
    assert link["creates_join_request"] is True and link["invite_link"].startswith("https://t.me/+")
    mentee = emulator.create_user("Маша")
    assert await mentee.join(link["invite_link"]) == "requested"
    assert group.join_requests == [mentee.id] and not group.is_member(mentee)
    updates = await drain(raw, emulator)
    assert kinds(updates) == ["chat_join_request"]
    request = updates[0]["chat_join_request"]
    assert request["from"]["id"] == mentee.id and request["user_chat_id"] == mentee.id
    assert request["invite_link"]["invite_link"] == link["invite_link"]
    assert await raw.ok("approveChatJoinRequest", chat_id=group.id, user_id=mentee.id) is True
    assert group.is_member(mentee) and group.join_requests == []
    updates = await drain(raw, emulator)
    assert kinds(updates) == ["chat_member", "message"]
    change = updates[0]["chat_member"]
    assert change["old_chat_member"]["status"] == "left"
    assert change["new_chat_member"]["status"] == "member"
    assert change["via_join_request"] is True
    assert updates[1]["message"]["new_chat_members"][0]["id"] == mentee.id
    assert await raw.error("approveChatJoinRequest", chat_id=group.id, user_id=mentee.id) == (
        400,
        "Bad Request: HIDE_REQUESTER_MISSING",
    )
    # a declined request leaves the user outside
    stranger = emulator.create_user("Bad Actor")
    await stranger.join(link["invite_link"])
    await raw.ok("declineChatJoinRequest", chat_id=group.id, user_id=stranger.id)
    assert not group.is_member(stranger)
    # a revoked link cannot be used
    revoked = await raw.ok(
        "revokeChatInviteLink", chat_id=group.id, invite_link=link["invite_link"]
    )
    assert revoked["is_revoked"] is True
    with pytest.raises(EmulatorError, match="revoked"):
        await emulator.create_user().join(link["invite_link"])


class _Clock:
    """The emulator's clock, moved by hand."""

    def __init__(self) -> None:
        self.at = datetime(2026, 10, 7, 4, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


CANNOT_INITIATE = (403, "Forbidden: bot can't initiate conversation with a user")


async def test_a_join_requester_may_be_written_to_only_while_the_request_is_pending(
    raw: RawClient, emulator: Emulator
) -> None:
    """ChatJoinRequest.user_chat_id in the Bot API: "The bot can use this identifier for
    5 minutes to send messages until the join request is processed"."""
    clock = _Clock()
    emulator.clock = clock
    owner = emulator.create_user("Owner")
    group = emulator.create_group("Наставники", owner=owner)
    link = await raw.ok("createChatInviteLink", chat_id=group.id, creates_join_request=True)
    declined, approved, late = (emulator.create_user(n) for n in ("Гость", "Анна", "Поздний"))
    for user in (declined, approved, late):  # none of them ever wrote to the bot
        assert await user.join(link["invite_link"]) == "requested"

    # Pending: the bot may explain.
    sent = await raw.ok("sendMessage", chat_id=declined.id, text="Сейчас объясню")
    assert sent["chat"]["id"] == declined.id
    await raw.ok("sendMessage", chat_id=approved.id, text="Добро пожаловать")

    # Processed: the conversation may no longer be started.
    await raw.ok("declineChatJoinRequest", chat_id=group.id, user_id=declined.id)
    assert await raw.error("sendMessage", chat_id=declined.id, text="Заявку отклонил") == (
        CANNOT_INITIATE
    )
    await raw.ok("approveChatJoinRequest", chat_id=group.id, user_id=approved.id)
    assert await raw.error("sendMessage", chat_id=approved.id, text="Вы в чате") == (
        CANNOT_INITIATE
    )

    # Still pending, but the 5 minutes are over.
    clock.at += timedelta(minutes=4, seconds=59)
    await raw.ok("sendMessage", chat_id=late.id, text="Ещё успеваю")
    clock.at += timedelta(seconds=1)
    assert await raw.error("sendMessage", chat_id=late.id, text="Опоздал") == CANNOT_INITIATE
    # A user who started the bot is written to whatever became of the request.
    await late.send("/start")
    await raw.ok("sendMessage", chat_id=late.id, text="Теперь можно")


async def test_plain_link_member_limit_ban_and_counts(raw: RawClient, emulator: Emulator) -> None:
    owner = emulator.create_user("Owner")
    group = emulator.create_group("G", owner=owner)
    primary = await raw.ok("exportChatInviteLink", chat_id=group.id)
    link = await raw.ok("createChatInviteLink", chat_id=group.id, member_limit=1)
    first, second = emulator.create_user("A"), emulator.create_user("B")
    assert await first.join(link["invite_link"]) == "joined"
    with pytest.raises(EmulatorError, match="member limit"):
        await second.join(link["invite_link"])
    await second.join(primary)
    assert await raw.ok("getChatMemberCount", chat_id=group.id) == 4  # owner, A, B, bot
    member = await raw.ok("getChatMember", chat_id=group.id, user_id=first.id)
    assert member["status"] == "member"
    admins = await raw.ok("getChatAdministrators", chat_id=group.id)
    assert {a["status"] for a in admins} == {"creator", "administrator"}
    await raw.ok("banChatMember", chat_id=group.id, user_id=first.id)
    assert group.member_status(first) == "kicked"
    with pytest.raises(EmulatorError, match="banned"):
        await first.join(primary)
    await raw.ok("unbanChatMember", chat_id=group.id, user_id=first.id, only_if_banned=True)
    assert group.member_status(first) == "left"
    assert await raw.error("banChatMember", chat_id=group.id, user_id=owner.id) == (
        400,
        "Bad Request: user is an administrator of the chat",
    )
    await second.leave(group)
    assert not group.is_member(second)
    sent = await raw.ok("sendMessage", chat_id=group.id, text="pin me")
    assert await raw.ok("pinChatMessage", chat_id=group.id, message_id=sent["message_id"])
    assert (await raw.ok("getChat", chat_id=group.id))["pinned_message"]["text"] == "pin me"


async def test_rights_are_checked(raw: RawClient, emulator: Emulator) -> None:
    group = emulator.create_group("Member only", bot="member")
    user = emulator.create_user()
    assert await raw.error("createChatInviteLink", chat_id=group.id) == (
        400,
        "Bad Request: not enough rights to manage chat invite link",
    )
    assert (await raw.error("banChatMember", chat_id=group.id, user_id=user.id))[0] == 400
    absent = emulator.create_group("Absent", bot=None)
    assert await raw.error("getChat", chat_id=absent.id) == (400, "Bad Request: chat not found")


async def test_bot_added_promoted_removed(raw: RawClient, emulator: Emulator) -> None:
    owner = emulator.create_user("Curator")
    group = emulator.create_group("New group", owner=owner, bot=None)
    await group.add_bot(by=owner)
    await group.promote_bot()
    await group.remove_bot()
    updates = await drain(raw, emulator)
    assert kinds(updates) == ["my_chat_member", "message", "my_chat_member", "my_chat_member"]
    statuses = [
        (
            u["my_chat_member"]["old_chat_member"]["status"],
            u["my_chat_member"]["new_chat_member"]["status"],
        )
        for u in updates
        if "my_chat_member" in u
    ]
    assert statuses == [("left", "member"), ("member", "administrator"), ("administrator", "left")]
    assert updates[0]["my_chat_member"]["from"]["id"] == owner.id
    assert updates[1]["message"]["new_chat_members"][0]["id"] == emulator.bot_user.id


async def test_block_and_unblock(raw: RawClient, emulator: Emulator) -> None:
    user = emulator.create_user()
    await user.send("/start")
    await user.block_bot()
    with pytest.raises(EmulatorError, match="blocked"):
        await user.send("hello?")
    await user.unblock_bot()
    updates = await drain(raw, emulator)
    assert kinds(updates) == ["message", "my_chat_member", "my_chat_member"]
    block, unblock = updates[1]["my_chat_member"], updates[2]["my_chat_member"]
    assert (block["old_chat_member"]["status"], block["new_chat_member"]["status"]) == (
        "member",
        "kicked",
    )
    assert unblock["new_chat_member"]["status"] == "member"
    assert "blocked the bot" in user.transcript()


async def test_privacy_mode_in_groups(raw: RawClient, emulator: Emulator) -> None:
    user = emulator.create_user()
    group = emulator.create_group("Privacy", members=[user], bot="member")
    await user.send("just chatting", chat=group)
    await user.command("help", chat=group)
    updates = await drain(raw, emulator)
    assert [u["message"]["text"] for u in updates] == [f"/help@{emulator.bot_user.username}"]


async def test_contact_and_reply_keyboard(raw: RawClient, emulator: Emulator) -> None:
    user = emulator.create_user("Ann", last_name="Lee")
    await user.send("/start")
    keyboard = {"keyboard": [[{"text": "Поделиться", "request_contact": True}], ["Отмена"]]}
    await raw.ok("sendMessage", chat_id=user.id, text="Телефон?", reply_markup=keyboard)
    assert user.reply_keyboard is not None
    msg = await user.press_keyboard("Поделиться")
    assert msg.data["contact"]["user_id"] == user.id
    await raw.ok("sendMessage", chat_id=user.id, text="ok", reply_markup={"remove_keyboard": True})
    assert user.reply_keyboard is None
    with pytest.raises(EmulatorError, match="no reply keyboard"):
        await user.press_keyboard("Отмена")
