"""Chats and their members: chat info, invite links, join requests, bans, and the
changes of membership the bot is told of."""

from __future__ import annotations

import secrets
from typing import Any

from ..errors import bad_request
from ..records import (
    ChatEvent,
    ChatMessage,
    ChatRecord,
    InviteLinkRecord,
    MemberRecord,
    UserRecord,
)
from .base import ADMIN_RIGHTS, default_admin_rights
from .updates import Updates


class Chats(Updates):
    """Chats and members, invite links, join requests, bans; membership changes."""

    # ------------------------------------------------------------------ chats and members

    def _member_dict(
        self, chat: ChatRecord, member: MemberRecord | None, user: UserRecord
    ) -> dict[str, Any]:
        status = member.status if member is not None else "left"
        data: dict[str, Any] = {"status": status, "user": user.as_dict()}
        if status == "creator":
            data["is_anonymous"] = False
        elif status == "administrator":
            assert member is not None
            data["can_be_edited"] = False
            data["is_anonymous"] = False
            for right in ADMIN_RIGHTS:
                data[right] = bool(member.rights.get(right, False))
        elif status == "kicked":
            data["until_date"] = member.until_date if member is not None else 0
        elif status == "restricted":
            data.update(
                is_member=True,
                can_send_messages=False,
                can_send_audios=False,
                can_send_documents=False,
                can_send_photos=False,
                can_send_videos=False,
                can_send_video_notes=False,
                can_send_voice_notes=False,
                can_send_polls=False,
                can_send_other_messages=False,
                can_add_web_page_previews=False,
                can_change_info=False,
                can_invite_users=False,
                can_pin_messages=False,
                can_manage_topics=False,
                until_date=0,
            )
        return data

    def _bot_member_dict(self, chat: ChatRecord) -> dict[str, Any]:
        if chat.is_private:
            status = "kicked" if chat.user is not None and chat.user.blocked else "member"
            data: dict[str, Any] = {"status": status, "user": self.bot_user.as_dict()}
            if status == "kicked":
                data["until_date"] = 0
            return data
        return self._member_dict(chat, chat.bot_member, self.bot_user)

    def api_getchat(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        self._check_in_group(chat)
        data = dict(chat.as_dict())
        data.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        if chat.pinned:
            pinned = chat.messages.get(chat.pinned[-1])
            if pinned is not None:
                data["pinned_message"] = pinned.data
        return data

    def _user_param(self, p: dict[str, Any]) -> UserRecord:
        user_id = p.get("user_id")
        if user_id is not None and int(user_id) == self.bot_user.id:
            return self.bot_user
        user = self.users.get(int(user_id or 0))
        if user is None:
            raise bad_request("user not found")
        return user

    def api_getchatmember(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        self._check_in_group(chat)
        user = self._user_param(p)
        if user is self.bot_user:
            return self._bot_member_dict(chat)
        if chat.is_private:
            if chat.user is not user:
                raise bad_request("user not found")
            return {"status": "member", "user": user.as_dict()}
        return self._member_dict(chat, chat.members.get(user.id), user)

    def api_getchatadministrators(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self._chat(p)
        self._check_in_group(chat)
        if chat.is_private:
            raise bad_request("there are no administrators in the private chat")
        out = [
            self._member_dict(chat, m, m.user)
            for m in chat.members.values()
            if m.status in ("creator", "administrator")
        ]
        if chat.bot_status == "administrator":
            out.append(self._bot_member_dict(chat))
        return out

    def api_getchatmembercount(self, p: dict[str, Any]) -> int:
        chat = self._chat(p)
        self._check_in_group(chat)
        if chat.is_private:
            return 2
        count = sum(1 for m in chat.members.values() if m.is_member)
        return count + (1 if chat.bot_member is not None and chat.bot_member.is_member else 0)

    def _new_link(self, chat: ChatRecord, p: dict[str, Any], *, primary: bool) -> InviteLinkRecord:
        creates = bool(p.get("creates_join_request"))
        member_limit = p.get("member_limit")
        if creates and member_limit:
            raise bad_request(
                "member limit can't be specified for links requiring administrator approval"
            )
        name = p.get("name")
        if name is not None and len(str(name)) > 32:
            raise bad_request("invite link name is too long")
        link = InviteLinkRecord(
            invite_link=f"https://t.me/+{secrets.token_urlsafe(12)}",
            creator=self.bot_user,
            chat_id=chat.id,
            creates_join_request=creates,
            is_primary=primary,
            name=str(name) if name is not None else None,
            expire_date=int(p["expire_date"]) if p.get("expire_date") else None,
            member_limit=int(member_limit) if member_limit else None,
        )
        chat.invite_links[link.invite_link] = link
        return link

    _LINK_RIGHTS = "not enough rights to manage chat invite link"

    def api_createchatinvitelink(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        self._need_admin(chat, "can_invite_users", self._LINK_RIGHTS)
        return self._new_link(chat, p, primary=False).as_dict()

    def api_exportchatinvitelink(self, p: dict[str, Any]) -> str:
        chat = self._chat(p)
        self._need_admin(chat, "can_invite_users", self._LINK_RIGHTS)
        for link in chat.invite_links.values():
            if link.is_primary:
                link.is_revoked = True
                link.is_primary = False
        return self._new_link(chat, {}, primary=True).invite_link

    def api_editchatinvitelink(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        self._need_admin(chat, "can_invite_users", self._LINK_RIGHTS)
        link = chat.invite_links.get(str(p.get("invite_link")))
        if link is None:
            raise bad_request("INVITE_HASH_EXPIRED")
        for key in ("name", "expire_date", "member_limit", "creates_join_request"):
            if key in p:
                setattr(link, key, p[key])
        return link.as_dict()

    def api_revokechatinvitelink(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        self._need_admin(chat, "can_invite_users", self._LINK_RIGHTS)
        link = chat.invite_links.get(str(p.get("invite_link")))
        if link is None:
            raise bad_request("INVITE_HASH_EXPIRED")
        link.is_revoked = True
        return link.as_dict()

    def _join_request_decision(self, p: dict[str, Any], approve: bool) -> bool:
        chat = self._chat(p)
        self._need_admin(chat, "can_invite_users", "CHAT_ADMIN_REQUIRED")
        user = self._user_param(p)
        if user.id not in chat.join_requests:
            raise bad_request("HIDE_REQUESTER_MISSING")
        link = chat.join_requests.pop(user.id)
        self._join_requested_at.get(user.id, {}).pop(chat.id, None)  # processed
        if link is not None:
            link.pending = max(0, link.pending - 1)
        if approve:
            if user.id in chat.members and chat.members[user.id].is_member:
                raise bad_request("USER_ALREADY_PARTICIPANT")
            self.change_member(chat, user, "member", by=self.bot_user, link=link, via_request=True)
        else:
            chat.record(
                ChatEvent("member", True, f"bot declined the join request of {user.display}")
            )
        return True

    def api_approvechatjoinrequest(self, p: dict[str, Any]) -> bool:
        return self._join_request_decision(p, True)

    def api_declinechatjoinrequest(self, p: dict[str, Any]) -> bool:
        return self._join_request_decision(p, False)

    def api_banchatmember(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        self._need_admin(
            chat, "can_restrict_members", "not enough rights to restrict/unrestrict chat member"
        )
        user = self._user_param(p)
        member = chat.members.get(user.id)
        if member is not None and member.status in ("creator", "administrator"):
            raise bad_request("user is an administrator of the chat")
        self.change_member(
            chat, user, "kicked", by=self.bot_user, until=int(p.get("until_date") or 0)
        )
        return True

    def api_unbanchatmember(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        self._need_admin(
            chat, "can_restrict_members", "not enough rights to restrict/unrestrict chat member"
        )
        user = self._user_param(p)
        member = chat.members.get(user.id)
        if member is None:
            return True
        if member.status == "kicked":
            self.change_member(chat, user, "left", by=self.bot_user)
        elif not p.get("only_if_banned") and member.is_member:
            if member.status in ("creator", "administrator"):
                raise bad_request("user is an administrator of the chat")
            self.change_member(chat, user, "left", by=self.bot_user)
        return True

    def api_leavechat(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        if chat.is_private:
            raise bad_request("chat member status can't be changed in private chats")
        self._check_in_group(chat)
        self.change_bot_status(chat, "left", by=self.bot_user)
        return True

    # ------------------------------------------------------------------ membership changes

    def change_member(
        self,
        chat: ChatRecord,
        user: UserRecord,
        status: str,
        *,
        by: UserRecord,
        link: InviteLinkRecord | None = None,
        via_request: bool = False,
        until: int = 0,
        rights: dict[str, bool] | None = None,
    ) -> None:
        """A user's status in a group changes: chat_member update and service message."""
        old_member = chat.members.get(user.id)
        old = self._member_dict(chat, old_member, user)
        member = MemberRecord(user, status, dict(rights or {}), until)
        chat.members[user.id] = member
        new = self._member_dict(chat, member, user)
        chat.record(
            ChatEvent("member", by is self.bot_user, f"{user.display}: {old['status']} → {status}")
        )
        if chat.bot_status == "administrator" or chat.bot_status == "creator":
            payload: dict[str, Any] = {
                "chat": chat.as_dict(),
                "from": by.as_dict(),
                "date": self.now(),
                "old_chat_member": old,
                "new_chat_member": new,
            }
            if link is not None:
                payload["invite_link"] = link.as_dict()
            if via_request:
                payload["via_join_request"] = True
            self.emit("chat_member", payload, chat.id)
        was_in = old_member is not None and old_member.is_member
        if member.is_member and not was_in:
            self._service_message(
                chat,
                by if by is not self.bot_user else user,
                {"new_chat_members": [user.as_dict()]},
            )
        elif was_in and not member.is_member:
            self._service_message(
                chat, by if by is not self.bot_user else user, {"left_chat_member": user.as_dict()}
            )

    def _service_message(
        self, chat: ChatRecord, sender: UserRecord, content: dict[str, Any]
    ) -> None:
        if chat.bot_status in ("left", "kicked"):
            return
        data = {
            "message_id": chat.allocate_message_id(),
            "from": sender.as_dict(),
            "chat": chat.as_dict(),
            "date": self.now(),
            **content,
        }
        msg = ChatMessage(chat, data, from_bot=False)
        chat.messages[msg.message_id] = msg
        self.emit("message", data, chat.id)

    def change_bot_status(
        self,
        chat: ChatRecord,
        status: str,
        *,
        by: UserRecord,
        rights: dict[str, bool] | None = None,
    ) -> None:
        """The bot is added, promoted or removed in a group: my_chat_member update."""
        old = self._bot_member_dict(chat)
        if status == "administrator" and rights is None:
            rights = default_admin_rights()
        chat.bot_member = MemberRecord(self.bot_user, status, dict(rights or {}))
        new = self._bot_member_dict(chat)
        chat.record(
            ChatEvent("member", False, f"bot: {old['status']} → {status} (by {by.display})")
        )
        self.emit(
            "my_chat_member",
            {
                "chat": chat.as_dict(),
                "from": by.as_dict(),
                "date": self.now(),
                "old_chat_member": old,
                "new_chat_member": new,
            },
            chat.id,
        )
        if old["status"] in ("left", "kicked") and status in ("member", "administrator"):
            self._service_message(chat, by, {"new_chat_members": [self.bot_user.as_dict()]})
