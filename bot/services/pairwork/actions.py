"""Every action of the pair work buttons (`pw:<action>:<id>:<arg>`), one typed vocabulary.

Services ask for these buttons as plain data (`cycle.button`, an `ActionButton`), screens
build them as aiogram buttons (`handlers/pairwork/callbacks.btn`; the outbox renders the
services' ones with `bot/keyboards/buttons.py`), and handlers match them with
`PairAction.filter(F.action == "...")`; all three go through this enum: a button with an
action that is not here cannot be built, a callback with one cannot be read, and
tests/unit/test_pairwork_actions.py fails when a member has no handler.

The values are the callback strings' wire format, listed with their rules in
docs/security.md; they stay short (Telegram allows 64 bytes of callback data).
"""

from __future__ import annotations

from enum import StrEnum

# The prefix of every pair work callback (`PairAction` in bot/keyboards/buttons.py).
CALLBACK_PREFIX = "pw"


class PairWorkAction(StrEnum):
    # participants: their pairs and meetings
    MENU = "menu"
    PROPOSE = "prop"
    PROPOSE_DAY = "pd"
    PROPOSE_HOUR = "ph"
    PROPOSE_MINUTE = "pm"
    LOG = "log"
    ACCEPT_MEETING = "mok"
    OTHER_TIME = "mno"
    CONFIRM_HELD = "mheld"
    NOT_HELD = "mmiss"
    CANCEL_MEETING = "mcx"
    MARK_HELD = "held"
    PLAN = "plan"
    MATERIALS = "mat"
    FEEDBACK = "fb"
    FINAL_SURVEY = "fin"
    WANTS_MORE = "wm"
    VOTE = "vote"
    # messages through the bot
    WRITE = "wr"
    REPLY_RELAYED = "rrep"
    # «Мне некомфортно» and the curator's cases
    CONCERN = "cw"
    CONCERN_NO_WORDS = "cwn"
    CONCERN_CANCEL = "cwx"
    CASE_REPLY = "crep"
    CASE_ANSWER = "cans"
    CASE_CLOSE = "ccl"
    CASE_CLOSE_NO_NOTE = "cclx"
    CASE_END_PAIR = "cend"
    CASE_END_PAIR_YES = "cendy"
    # curators: feedback rounds, alerts, materials, completion, the best pair
    ROUND_HOME = "frhome"
    ROUND_ALL = "frall"
    ROUND_PICK = "frpick"
    ROUND_GO = "frgo"
    ALERTS = "alist"
    ALERT_MODE = "amode"
    ALERT_RESOLVED = "aok"
    MATERIALS_SET = "matset"
    MATERIALS_CLEAR = "matclr"
    FINISH_HOME = "finhome"
    FINISH_START = "fin1"
    FINISH_END = "fin2"
    FINISH_START_YES = "fin1y"
    FINISH_END_YES = "fin2y"
    BEST_PAIR = "bp"
    BEST_PAIR_CANDIDATE = "bpc"
    BEST_PAIR_YES = "bpy"
    # the curator: who has not answered a feedback round or the final survey, and a reminder
    SILENT_FEEDBACK = "silfr"
    SILENT_FINAL = "silfin"
    REMIND_FEEDBACK = "remfr"
    REMIND_FINAL = "remfin"
