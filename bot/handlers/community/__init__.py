"""Everything that happens in group chats: the mentors' community chat.

The parent router takes only group and supergroup updates and ends with a silent
catch-all, so no other feature ever answers in a group.
"""

from __future__ import annotations

from aiogram import F

from bot.handlers.routing import Handlers

from . import binding, membership, silence

GROUP_CHATS = F.chat.type.in_({"group", "supergroup"})

router = Handlers(__name__)
for observer in (
    router.message,
    router.edited_message,
    router.my_chat_member,
    router.chat_member,
    router.chat_join_request,
):
    observer.filter(GROUP_CHATS)
router.callback_query.filter(F.message.chat.type.in_({"group", "supergroup"}))
router.include_routers(binding.router, membership.router, silence.router)
