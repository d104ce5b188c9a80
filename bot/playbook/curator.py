"""The curator's hands: the console commands and their buttons, step by step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING

from bot.keyboards.curator import MeetCb, PairCb, RegCb, short
from bot.services.vocabulary import label

from .hands import (
    buttons_of,
    ending,
    expect,
    has,
    next_page,
    pattern,
    phrase,
    tap,
)

if TYPE_CHECKING:
    from emulator.records import ChatMessage
    from emulator.scripted import ScriptedUser

CODE = re.compile(r"start=(\S+)")


# ------------------------------------------------------------------ /program


@dataclass(frozen=True)
class ProgrammeSpec:
    """What the curator answers in the /program wizard (None: «Пропустить»)."""

    name: str
    organisation: str  # the school's full name, as in its charter
    address: str  # the school's address
    forms: tuple[str, ...]  # codes of bot.services.vocabulary.MENTORING_FORMS
    group: bool
    timezone: str  # a code of bot.services.programme.programmes.TIMEZONES, e.g. "moscow"
    starts: str | None  # ДД.ММ.ГГГГ
    ends: str | None
    operator_details: str  # the operator's address and contacts
    operator: str | None = None  # the personal data operator, typed (None: the school)
    students: int | None = None
    young_teachers: int | None = None
    goals: str | None = None  # the programme's tasks and expected results
    cadence_days: int = 14
    quiet: str = "22-08"  # one of bot.services.programme.programmes.QUIET_OPTIONS


def quiet_label(value: str) -> str:
    if value == "none":
        return phrase("program-quiet-none")
    start, _, end = value.partition("-")
    return f"{start}:00–{end}:00"


async def create_programme(curator: ScriptedUser, spec: ProgrammeSpec) -> ChatMessage:
    """/program → «Новая программа» → every step of the wizard → «Сохранить»."""
    new = phrase("program-btn-new")
    await curator.command("program")
    await tap(curator, new, await expect(curator, predicate=has(new)))
    typed = {
        "name": spec.name,
        "goals": spec.goals,
        "org-name": spec.organisation,
        "org-address": spec.address,
        "starts-on": spec.starts,
        "ends-on": spec.ends,
        "operator-name": spec.operator,
        "operator-details": spec.operator_details,
        "students-total": spec.students,
        "young-teachers-total": spec.young_teachers,
    }
    pressed = {
        "is-group": phrase("program-group" if spec.group else "program-individual"),
        "timezone": phrase(f"tz-{spec.timezone}"),
        "feedback-cadence-days": phrase("program-days", days=spec.cadence_days),
        "quiet": quiet_label(spec.quiet),
    }
    if spec.operator is None:
        pressed["operator-name"] = short(spec.organisation, 50)  # as the wizard shows it
    order = [
        "name",
        "org-name",
        "org-address",
        "forms",
        "is-group",
        "goals",
        "timezone",
        "starts-on",
        "ends-on",
        "feedback-cadence-days",
        "quiet",
        "operator-name",
        "operator-details",
        "students-total",
        "young-teachers-total",
    ]
    for step in order:
        screen = await expect(curator, phrase(f"program-ask-{step}"))
        if step == "forms":
            for code in spec.forms:
                await tap(curator, ending(label("form", code)), screen)
            await tap(curator, phrase("program-btn-next"), screen)
        elif step in pressed:
            await tap(curator, ending(pressed[step]), screen)
        elif typed[step] is None:
            await tap(curator, phrase("program-btn-skip"), screen)
        else:
            await curator.send(str(typed[step]))
    screen = await expect(curator, phrase("program-confirm"))
    await tap(curator, phrase("program-btn-save"), screen)
    return await expect(curator, phrase("program-created"))


async def invitation_codes(user: ScriptedUser) -> dict[str, str]:
    """/invite: the codes of the mentees' and the mentors' links."""
    await user.command("invite")
    screen = await expect(user, regex=pattern("invite-title"))
    mentee = pattern("invite-line-mentee").search(screen.text)
    mentor = pattern("invite-line-mentor").search(screen.text)
    if mentee is None or mentor is None:
        raise AssertionError(f"no invitation links in {screen.text!r}")
    codes = [CODE.search(screen.text, found.start()) for found in (mentee, mentor)]
    return {
        kind: code.group(1) for kind, code in zip(("mentee", "mentor"), codes, strict=True) if code
    }


# ------------------------------------------------------------------ /mentors


async def approve_mentors(curator: ScriptedUser, *, trained: bool = False) -> list[str]:
    """/mentors → «ждут решения» → each card → «Включить в реестр» (and «Обучение
    пройдено»); the names approved, in the list's order."""
    waiting = ending(phrase("registry-filter-candidate"))
    await curator.command("mentors")
    screen = await expect(curator, predicate=has(waiting))
    approved: list[str] = []
    while True:
        await tap(curator, waiting, screen)
        cards = buttons_of(screen, RegCb, "card")
        if not cards:
            return approved
        name = cards[0][0].split(" ", 1)[1]
        await tap(curator, cards[0][0], screen)
        await tap(curator, phrase("registry-btn-approve"), screen)
        if trained:
            await tap(curator, phrase("registry-btn-trained"), screen)
        approved.append(name)
        await tap(curator, phrase("registry-btn-back-list"), screen)


async def note_mentee(curator: ScriptedUser, name: str, note: str) -> ChatMessage:
    """/mentees <name> → the mentee's card → «📝 Заметка куратора» → the note typed."""
    await curator.command(f"mentees {name}")
    screen = await expect(curator, regex=pattern("registry-title-mentee"))
    card = next(label for label, _data in buttons_of(screen, RegCb, "card") if name in label)
    await tap(curator, card, screen)
    await tap(curator, phrase("registry-btn-note"), screen)
    await expect(curator, regex=pattern("registry-note-ask"))
    await curator.send(note)
    return await expect(curator, regex=pattern("registry-note-saved"))


# ------------------------------------------------------------------ /meeting


async def announce_meeting(curator: ScriptedUser, day: date, at: time, place: str) -> ChatMessage:
    """/meeting → «Назначить встречу» → the day in the calendar → the time → the place
    → «Разослать приглашение»; the answer with the number invited."""
    await curator.command("meeting")
    new = phrase("meeting-btn-new")
    await tap(curator, new, await expect(curator, predicate=has(new)))
    screen = await expect(curator, regex=pattern("meeting-ask-day"))
    month = f"{phrase(f'month-{day.month}')} {day.year}"
    for _ in range(24):
        if screen.find_button(month) is not None or not await next_page(curator, screen):
            break
    await tap(curator, str(day.day), screen)
    await tap(curator, f"{at:%H:%M}", screen)
    await expect(curator, regex=pattern("meeting-ask-place"))
    await curator.send(place)
    preview = await expect(curator, predicate=has(phrase("meeting-btn-send")))
    await tap(curator, phrase("meeting-btn-send"), preview)
    return await expect(curator, regex=pattern("meeting-announced"))


async def record_attendance(curator: ScriptedUser, came: set[str]) -> ChatMessage:
    """/meeting → «Отметить, кто пришёл» (everyone ticked to begin with) → a tap on each
    name whose mark is wrong, page by page → «Готово»; the answer with the figures."""
    mark = phrase("meeting-btn-attendance")
    await curator.command("meeting")
    screen = await expect(curator, predicate=has(mark))
    await tap(curator, mark, screen)
    while True:
        for text, _data in buttons_of(screen, MeetCb, "tog"):
            icon, _, rest = text.partition(" ")
            if (rest.rsplit(" · ", 1)[0] in came) != (icon == "✅"):
                await tap(curator, text, screen)
        if not await next_page(curator, screen):
            break
    await tap(curator, phrase("meeting-btn-done"), screen)
    return await expect(curator, phrase("meeting-attendance-saved"))


# ------------------------------------------------------------------ /preferences


async def open_preferences(curator: ScriptedUser) -> ChatMessage:
    """/preferences → «Открыть сбор» → who will be asked, «Да, открыть»."""
    button = phrase("prefs-btn-open")
    await curator.command("preferences")
    screen = await expect(curator, predicate=has(button))
    await tap(curator, button, screen)
    await expect(curator, regex=pattern("prefs-open-ask"))
    await tap(curator, pattern("prefs-btn-open-yes"), screen)
    return await expect(curator, regex=pattern("prefs-opened"))


async def close_preferences(curator: ScriptedUser) -> tuple[str, ChatMessage]:
    """/preferences (who has answered) → «Закрыть сбор»; the progress seen and the answer."""
    button = phrase("prefs-btn-close")
    await curator.command("preferences")
    screen = await expect(curator, predicate=has(button))
    progress = screen.text
    await tap(curator, button, screen)
    return progress, await expect(curator, phrase("prefs-closed"))


# ------------------------------------------------------------------ /pairs


async def run_matching(curator: ScriptedUser) -> tuple[str, list[str]]:
    """/pairs → «Подобрать пары» → «Предложения», every page; the answer and the pages."""
    run = phrase("pairs-btn-run")
    await curator.command("pairs")
    screen = await expect(curator, predicate=has(run))
    await tap(curator, run, screen)
    ran = (await expect(curator, regex=pattern("pairs-ran"))).text
    pages: list[str] = []
    proposed = pattern("pairs-btn-proposed")
    if screen.find_button(proposed) is not None:
        await tap(curator, proposed, screen)
        pages.append(screen.text)
        while await next_page(curator, screen):
            pages.append(screen.text)
        await tap(curator, phrase("button-back"), screen)
    return ran, pages


async def assign_unmatched(curator: ScriptedUser) -> tuple[str, list[tuple[str, str]]]:
    """/pairs → «Без пары» → «Назначить» → the first mentor the bot suggests for the
    mentee who has room (else the one with the most room), for each mentee left without a
    pair while anyone has room. Mentors marked ⚠️ (the placement would break a matching
    rule) are not chosen: such a mentee stays without a pair. The first list seen, and
    (mentee, mentor) as assigned."""
    lonely = pattern("pairs-btn-lonely")
    warned = pattern("pairs-warned-mentor")
    seen = ""
    assigned: list[tuple[str, str]] = []
    passed: set[str] = set()
    while True:
        await curator.command("pairs")
        screen = await expect(curator, regex=pattern("pairs-title"))
        if screen.find_button(lonely) is None:
            return seen, assigned
        await tap(curator, lonely, screen)
        listing = screen.text
        seen = seen or listing
        waiting = [
            label
            for label, _data in buttons_of(screen, PairCb, "assign")
            if label.split(": ", 1)[1] not in passed
        ]
        if not waiting:
            return seen, assigned
        assign = waiting[0]
        mentee = assign.split(": ", 1)[1]
        await tap(curator, assign, screen)
        room = re.compile(r"^(.*) \((\d+)\)$")
        offered = [
            room.match(text)
            for text, _ in buttons_of(screen, PairCb, "assignto")
            if not warned.fullmatch(text)
        ]
        mentors = [found for found in offered if found is not None]
        if not mentors:
            passed.add(mentee)
            continue
        suggested = _suggestions(listing, mentee)
        best = min(
            mentors,
            key=lambda found: (
                suggested.index(found.group(1)) if found.group(1) in suggested else len(suggested),
                -int(found.group(2)),
            ),
        )
        await tap(curator, best.group(0), screen)
        await expect(curator, phrase("pairs-done-assign"))
        assigned.append((mentee, best.group(1)))


def _suggestions(lonely_list: str, mentee: str) -> list[str]:
    """The mentors the bot suggests for a mentee in the «Без пары» list."""
    head = phrase("pairs-lonely-suggest", names="\0").split("\0")[0]
    for block in lonely_list.split("\n\n"):
        if block.split("\n", 1)[0] == mentee:
            for line in block.splitlines():
                if line.startswith(head):
                    return line.removeprefix(head).split(", ")
    return []


async def confirm_pairs(curator: ScriptedUser) -> ChatMessage:
    """/pairs → «Подтвердить все предложения» → who will be told, «Да, подтвердить»."""
    button = phrase("pairs-btn-confirm-all")
    await curator.command("pairs")
    screen = await expect(curator, predicate=has(button))
    await tap(curator, button, screen)
    await expect(curator, regex=pattern("pairs-confirm-all-ask"))
    await tap(curator, pattern("pairs-btn-confirm-all-yes"), screen)
    return await expect(curator, regex=pattern("pairs-confirmed-n"))


# ------------------------------------------------------------------ /checklist, /alerts


async def checklist(curator: ScriptedUser, stage: int | None = None) -> ChatMessage:
    """/checklist, and the stage's details when `stage` is given."""
    titles = pattern("checklist-title"), pattern("checklist-title-done")
    await curator.command("checklist")
    screen = await expect(curator, predicate=lambda m: any(p.search(m.text) for p in titles))
    if stage is not None:
        await tap(curator, str(stage), screen)
    return screen


async def tick_items(curator: ScriptedUser, stage: int, items: dict[str, str | None]) -> str:
    """/checklist → the stage → each manual item ticked («☑️ Отметить»), or ticked with a
    note («📝 Примечание», e.g. the order's number and date); the stage as it then reads."""
    screen = await checklist(curator, stage)
    for key, note in items.items():
        title = phrase(f"checklist-item-{key}")[:40]
        if note is None:
            await tap(curator, phrase("checklist-btn-tick", item=title), screen)
            continue
        await tap(curator, phrase("checklist-btn-note", item=title), screen)
        await expect(curator, regex=pattern("checklist-note-ask"))
        await curator.send(note)
        screen = await expect(curator, regex=pattern("checklist-note-saved"))
    return screen.text


async def alerts(curator: ScriptedUser, resolve: int | None = None) -> tuple[str, ChatMessage]:
    """/alerts; with `resolve`, «Разобрано» on that line. The list seen and the screen."""
    await curator.command("alerts")
    screen = await expect(curator, regex=pattern("pairs-alerts-title"))
    seen = screen.text
    if resolve is not None:
        await tap(curator, phrase("pairs-btn-resolve-n", n=resolve), screen)
    return seen, screen


# ------------------------------------------------------------------ cases


async def answer_case(curator: ScriptedUser, n: int, text: str) -> ChatMessage:
    """/alerts → «✉️ Ответить: n» → the answer typed; the bot's «Ответ отправлен»."""
    _seen, screen = await alerts(curator)
    await tap(curator, phrase("cases-btn-answer-n", n=n), screen)
    await expect(curator, regex=pattern("cases-answer-prompt"))
    await curator.send(text)
    return await expect(curator, phrase("cases-answer-sent"))


async def close_case(curator: ScriptedUser, n: int, note: str | None) -> ChatMessage:
    """/alerts → «✅ Закрыть: n» → a closing note (None: «Закрыть без заметки»)."""
    _seen, screen = await alerts(curator)
    await tap(curator, phrase("cases-btn-close-n", n=n), screen)
    prompt = await expect(curator, phrase("cases-close-prompt"))
    if note is None:
        await tap(curator, phrase("cases-btn-close-no-note"), prompt)
    else:
        await curator.send(note)
    return await expect(curator, phrase("cases-closed"))


def case_number(seen: str, key: str, name: str) -> int | None:
    """The number of the open case of this kind (`cases-line-…`) of the named person (the
    name after the case's icon: the pair named in brackets may hold the name too)."""
    line_of = pattern(key)
    for line in seen.split("\n"):
        # «1) 🆘 Имя (пара …)», escalated ones «1) 🔴 🆘 Имя (пара …)».
        number = re.match(rf"(\d+)\) (?:\S+ )+?{re.escape(name)} \(", line)
        if number and line_of.search(line):
            return int(number.group(1))
    return None


# ------------------------------------------------------------------ /finish


# The two steps of /finish: the button, and the state the programme is in after it.
FINISH_STEPS = {
    "fin1": ("pairs-btn-finish-start", "pairs-finish-finishing"),
    "fin2": ("pairs-btn-finish-end", "pairs-finish-finished"),
}


async def _finish_step(curator: ScriptedUser, step: str) -> ChatMessage:
    button_key, status = FINISH_STEPS[step]
    button = phrase(button_key)
    await curator.command("finish")
    screen = await expect(curator, predicate=has(button))
    await tap(curator, button, screen)
    await tap(curator, phrase(f"pairs-btn-{step}-yes"), screen)
    return await expect(curator, regex=pattern(status))


async def start_completion(curator: ScriptedUser) -> ChatMessage:
    """/finish → «Начать завершение» → «Да, разослать»: the final survey and the vote go."""
    return await _finish_step(curator, "fin1")


async def completion_status(curator: ScriptedUser) -> ChatMessage:
    """/finish while the completion goes on: the survey and vote figures."""
    await curator.command("finish")
    return await expect(curator, predicate=has(phrase("pairs-btn-finish-end")))


async def award_best_pair(curator: ScriptedUser, status: ChatMessage) -> tuple[str, ChatMessage]:
    """/finish → «Лучшая пара»: the bot's short list, and the first candidate awarded.

    Returns the short list's text as it was shown (the message is edited afterwards) and
    the screen after the award.
    """
    await tap(curator, phrase("pairs-btn-best-pair"), status)
    shortlist = await expect(curator, predicate=has(re.compile(r"^1\. ")))
    shown = shortlist.text
    await tap(curator, re.compile(r"^1\. "), shortlist)
    await expect(curator, predicate=has(phrase("pairs-btn-best-yes")))
    await tap(curator, phrase("pairs-btn-best-yes"))
    awarded = await expect(curator, regex=pattern("pairs-best-current"))
    return shown, awarded


async def finish_programme(curator: ScriptedUser) -> ChatMessage:
    """/finish → «Завершить программу» → «Да, завершить»: pairs end, mentors are thanked."""
    return await _finish_step(curator, "fin2")


# ------------------------------------------------------------------ /report, /export


async def report(curator: ScriptedUser) -> tuple[list[str], ChatMessage]:
    """/report: the report's messages as text, and the message with the chart."""
    before = len(curator.messages)
    await curator.command("report")
    chart = await expect(curator, predicate=lambda m: m.photo is not None, edits=False)
    title = pattern("report-title")
    texts = [m.text for m in curator.messages[before:] if m.photo is None]
    start = next((i for i, text in enumerate(texts) if title.search(text)), len(texts))
    return texts[start:], chart


async def export(curator: ScriptedUser) -> ChatMessage:
    """/export: the message with the workbook."""
    await curator.command("export")
    return await expect(curator, predicate=lambda m: m.document is not None, edits=False)


DOCUMENT_BUTTONS = ("order", "mentors", "programmes", "final", "consents")


async def documents(curator: ScriptedUser) -> list[ChatMessage]:
    """/documents: each document of the programme pressed in turn; the messages with the
    Word files, in the order of the menu."""
    await curator.command("documents")
    menu = await expect(curator, regex=pattern("documents-menu"))
    files = []
    for kind in DOCUMENT_BUTTONS:
        await tap(curator, phrase(f"documents-btn-{kind}"), menu)
        files.append(await expect(curator, predicate=lambda m: m.document is not None, edits=False))
    return files


# ------------------------------------------------------------------ the coordinator


async def overview(coordinator: ScriptedUser) -> tuple[list[str], ChatMessage]:
    """/report of a coordinator: the overview's messages as text, and the message with the
    chart of the indicators."""
    before = len(coordinator.messages)
    await coordinator.command("report")
    chart = await expect(coordinator, predicate=lambda m: m.photo is not None, edits=False)
    title = pattern("report-overview-title")
    texts = [m.text for m in coordinator.messages[before:] if m.photo is None and m.text]
    start = next((i for i, text in enumerate(texts) if title.search(text)), len(texts))
    return texts[start:], chart


async def enter_totals(coordinator: ScriptedUser, organisation: str, numbers: str) -> ChatMessage:
    """«✏️ Численность: …» under the overview → the two numbers typed."""
    from bot.services.reporting.municipality import short_name

    await tap(coordinator, phrase("report-btn-totals", name=short_name(organisation, 40)))
    await expect(coordinator, regex=pattern("report-totals-ask"))
    await coordinator.send(numbers)
    return await expect(coordinator, regex=pattern("report-totals-saved"))


async def freeze_all(coordinator: ScriptedUser) -> ChatMessage:
    """«📌 Зафиксировать итоги года для всех» under the overview."""
    await tap(coordinator, phrase("report-btn-freeze-all"))
    return await expect(coordinator, regex=pattern("report-frozen-all-done"))


async def municipal_document(coordinator: ScriptedUser) -> ChatMessage:
    """/documents → «Муниципальный отчёт за год»: the message with the Word file."""
    button = phrase("documents-btn-municipal")
    await coordinator.command("documents")
    menu = await expect(coordinator, predicate=has(button))
    await tap(coordinator, button, menu)
    return await expect(coordinator, predicate=lambda m: m.document is not None, edits=False)
