"""`python -m bot demo`: a whole programme cycle on the emulator, with no token and no network.

The real bot runs in this process against an in-process Telegram emulator; the curator,
mentors, mentees and parents are scripted users who press buttons and type answers. The
test clock starts on 2026-09-01 09:00 in the programme's time zone and moves through four
weeks of pair work. A Russian transcript of the key moments goes to the console; the full
transcript, the Excel export and the chart go to the output folder.

Every name is a fictional demo name made from a seeded random generator, so a seed gives
the same run every time.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import logging
import random
import re
import shutil
import sys
import time as wall
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

TIMEZONE = "Europe/Moscow"
START = datetime(2026, 9, 1, 9, 0, tzinfo=ZoneInfo(TIMEZONE))
CURATOR_TG = 5_000_001
BATCH = 8

MALE_FIRST = ["Артём", "Иван", "Михаил", "Даниил", "Максим", "Лев", "Егор", "Тимофей", "Матвей"]
FEMALE_FIRST = ["Анна", "Мария", "Софья", "Алиса", "Варвара", "Ева", "Полина", "Вера", "Дарья"]
MALE_LAST = ["Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов"]
PATRONYMIC = {"m": ["Сергеевич", "Петрович", "Андреевич"], "f": ["Сергеевна", "Петровна"]}
SUBJECTS = ["Математика", "Русский язык", "Физика", "История", "Биология", "Информатика"]
GOALS = [
    "Подтянуть математику к экзаменам",
    "Подготовиться к олимпиаде",
    "Понять, кем я хочу стать",
    "Сделать свой проект к весне",
    "Вести уроки увереннее",
]
HOBBIES = ["Лего", "Шахматы", "Футбол", "Рисую комиксы", "Играю на гитаре", "Фотография"]


# ----------------------------------------------------------------------------- options


@dataclass
class Options:
    mentees: int = 40
    mentors: int = 12
    seed: int = 2026
    fast: bool = False
    output: Path = Path("demo-output")


def parse_args(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bot demo",
        description="Демонстрация полного цикла программы наставничества на эмуляторе Telegram",
    )
    parser.add_argument("--mentees", type=int, default=40, help="наставляемых (по умолчанию 40)")
    parser.add_argument("--mentors", type=int, default=12, help="наставников (по умолчанию 12)")
    parser.add_argument("--seed", type=int, default=2026, help="зерно генератора (имена, ответы)")
    parser.add_argument("--fast", action="store_true", help="без пауз между этапами")
    parser.add_argument("--output", default="demo-output", help="папка для результатов")
    args = parser.parse_args(argv)
    if args.mentees < 2 or args.mentors < 1:
        parser.error("нужно хотя бы 2 наставляемых и 1 наставник")
    return Options(
        mentees=args.mentees,
        mentors=args.mentors,
        seed=args.seed,
        fast=args.fast,
        output=Path(args.output),
    )


# ----------------------------------------------------------------------------- transcript


def plain(text: str) -> str:
    """Bot HTML as console text."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


class Transcript:
    """Key moments for the console; everything (also the chats) for transcript.txt."""

    def __init__(self, fast: bool) -> None:
        self.fast = fast
        self.lines: list[str] = []

    def _out(self, line: str, echo: bool) -> None:
        self.lines.append(line)
        if echo:
            print(line, flush=True)

    def stage(self, title: str) -> None:
        self._out("", True)
        self._out(f"=== {title} ===", True)

    def say(self, line: str, echo: bool = True) -> None:
        self._out(line, echo)

    def got(self, who: str, text: str, echo: bool = True, limit: int = 220) -> None:
        body = " ".join(plain(text).split())
        if len(body) > limit:
            body = body[: limit - 1] + "…"
        self._out(f"  → {who} получил(а): «{body}»", echo)

    async def pause(self) -> None:
        if not self.fast:
            await asyncio.sleep(1.0)


# ----------------------------------------------------------------------------- people


@dataclass
class Actor:
    role: str  # mentee | mentor | parent | curator
    name: str
    age: int
    user: Any
    kind: str = ""  # mentee: school | teacher
    parent: Actor | None = None
    answers: dict[str, Any] = field(default_factory=dict)


def make_name(rnd: random.Random, used: set[str], patronymic: bool = False) -> tuple[str, str]:
    while True:
        sex = rnd.choice("mf")
        first = rnd.choice(MALE_FIRST if sex == "m" else FEMALE_FIRST)
        last = rnd.choice(MALE_LAST) + ("" if sex == "m" else "а")
        name = f"{first} {rnd.choice(PATRONYMIC[sex])} {last}" if patronymic else f"{first} {last}"
        if name not in used:
            used.add(name)
            return name, sex


SERVICE_BUTTONS = ("✅", "⬅️", "Пропустить", "✏️", "➡️", "Назад")


def option_buttons(message: Any) -> list[str]:
    return [b for b in message.button_texts if not any(s in b for s in SERVICE_BUTTONS)]


async def pick(user: Any, rnd: random.Random, candidates: Iterable[str], count: int = 1) -> None:
    """Press `count` of the candidates that are on the last message (else any options)."""
    message = user.last_message
    present = option_buttons(message)
    wanted = [c for c in candidates if c in present] or present
    choices = rnd.sample(wanted, min(count, len(wanted)))
    for choice in choices:
        await press(user, choice, message=message)


async def step(user: Any) -> Any:
    return await user.next_message(timeout=60)


async def press(user: Any, label: Any, message: Any = None) -> Any:
    # A loaded SQLite answers slower than a person presses: wait generously.
    return await user.press(label, message=message, answer_timeout=60)


# ----------------------------------------------------------------------------- journeys


async def join_common(actor: Actor, code: str, log: Transcript) -> None:
    user = actor.user
    await user.start(code)
    about = await step(user)
    log.got(actor.name, about.text, echo=False)
    await step(user)  # question 1: the name
    await user.send(actor.name)
    await step(user)
    await user.send(str(actor.age))
    consent = await step(user)
    log.got(actor.name, consent.text, echo=False)
    await press(user, "✅ Согласен(на)")
    if actor.parent is None:
        log.got(actor.name, (await step(user)).text, echo=False)  # consent saved
        await step(user)  # question 3
        return
    link_msg = await step(user)
    log.got(actor.name, link_msg.text, echo=False)
    found = re.search(r"start=(p_[\w-]+)", link_msg.text)
    if found is None:
        raise RuntimeError("no parent link in the consent answer")
    parent = actor.parent
    await parent.user.start(found.group(1))
    ask = await step(parent.user)
    log.got(parent.name, ask.text, echo=False)
    await press(parent.user, "✅ Согласен(на)")
    log.got(parent.name, (await step(parent.user)).text, echo=False)
    note = await user.wait_for("Родитель дал согласие", timeout=60)
    log.got(actor.name, note.text, echo=False)
    await user.start()
    await step(user)  # welcome back
    await step(user)  # question 3


async def finish_review(actor: Actor, log: Transcript) -> None:
    user = actor.user
    await press(user, "✅ Подтвердить")
    done = await step(user)
    log.got(actor.name, done.text, echo=False)


async def join_mentee(actor: Actor, code: str, rnd: random.Random, log: Transcript) -> None:
    await join_common(actor, code, log)
    user = actor.user
    if actor.kind == "school":
        await press(user, "школьник")
        await step(user)
        await user.send(str(max(5, min(11, actor.age - 6))))
        await step(user)
        await pick(user, rnd, ["успеваемость", "олимпиады и конкурсы", "выбор профессии"], 2)
    else:
        await press(user, "молодой педагог")
        await step(user)
        await user.send(rnd.choice(SUBJECTS))
        await step(user)
        await user.send(str(rnd.randint(0, 3)))
        await step(user)
        await pick(user, rnd, ["выбор профессии", "проектная работа", "цифровые навыки"], 2)
    await press(user, "✅ Готово")
    await step(user)
    interests = ["робототехника", "IT и программирование", "математика", "спорт", "музыка"]
    await pick(user, rnd, interests, 2)
    await press(user, "✅ Готово")
    await step(user)
    if actor.kind == "school":
        await user.send(rnd.choice(HOBBIES))
    else:
        await press(user, "Пропустить ➡️")
    await step(user)
    await pick(user, rnd, ["очно", "онлайн", "смешанный формат"])
    await step(user)
    await pick(user, rnd, ["будни, день", "будни, вечер", "выходные"], 2)
    await press(user, "✅ Готово")
    await step(user)
    await user.send(rnd.choice(GOALS))
    await step(user)
    if actor.kind == "school":
        await press(user, "Пропустить ➡️")
    else:
        await user.send(f"+7 900 000-{rnd.randint(10, 99)}-{rnd.randint(10, 99)}")
    await step(user)  # the summary
    await finish_review(actor, log)


async def join_mentor(actor: Actor, code: str, rnd: random.Random, log: Transcript) -> None:
    await join_common(actor, code, log)
    user = actor.user

    async def multi(candidates: list[str], count: int = 1) -> None:
        await pick(user, rnd, candidates, count)
        await press(user, "✅ Готово")

    steps: list[Callable[[], Awaitable[Any]]] = [
        lambda: press(user, "педагог"),
        lambda: user.send(f"Лицей № 1, учитель: {rnd.choice(SUBJECTS).lower()}"),
        lambda: press(user, "Пропустить ➡️"),
        lambda: user.send(f"{rnd.randint(3, 25)} лет в школе"),
        lambda: multi(["цифровые навыки", "проектная работа", "олимпиады и конкурсы"], 2),
        lambda: press(user, "Пропустить ➡️"),
        lambda: multi(["IT и программирование", "робототехника", "математика", "спорт"], 2),
        lambda: user.send("Терпение и внимание к ученику"),
        lambda: user.send("Хочу делиться опытом"),
        lambda: press(user, "Пропустить ➡️"),
        lambda: press(user, str(rnd.randint(3, 5))),
        lambda: multi(["14–17 лет"]),
        lambda: user.send("8"),
        lambda: press(user, "раз в две недели"),
        lambda: user.send(str(rnd.choice([3, 4, 4, 5]))),
        lambda: pick(user, rnd, ["очно", "онлайн", "смешанный формат"]),
        lambda: multi(["будни, день", "будни, вечер"]),
        lambda: user.send(f"mentor{rnd.randint(100, 999)}@example.org"),
    ]
    for do in steps:
        await do()
        await step(user)
    await finish_review(actor, log)


async def in_batches(jobs: list[Callable[[], Awaitable[None]]], size: int = BATCH) -> None:
    for i in range(0, len(jobs), size):
        await asyncio.gather(*(job() for job in jobs[i : i + size]))


# ----------------------------------------------------------------------------- the run


@dataclass
class DemoResult:
    output: Path
    database: Path
    programme_id: int
    figures: dict[str, Any]
    seconds: float


async def run(opts: Options) -> DemoResult:
    from bot.config import Settings
    from bot.factory import build_app
    from bot.services import clock as clock_module
    from emulator import Emulator
    from emulator.testing import InProcessBot

    started = wall.monotonic()
    rnd = random.Random(opts.seed)
    out = opts.output
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    db_path = out / "demo.db"

    clock = clock_module.TestClock(START.astimezone(ZoneInfo("UTC")))
    previous_clock = clock_module.get_clock()
    clock_module.set_clock(clock)
    emu = Emulator(rate_limits=False, clock=clock)
    await emu.start()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=emu.token,
        telegram_api_url=emu.url,
        database_url=f"sqlite+aiosqlite:///{db_path}",
        curator_ids=[CURATOR_TG],
        timezone=TIMEZONE,
        throttle_rate=10_000,
        delivery_global_per_s=1000.0,
        delivery_chat_per_s=100.0,
        delivery_group_per_min=1000.0,
        scheduler_speed=1.0,
        log_level="WARNING",
    )
    app = await build_app(settings, clock=clock)
    runner = InProcessBot(app, emu, mode="polling")
    await runner.start()
    log = Transcript(opts.fast)
    try:
        scenario = Scenario(app, emu, clock, rnd, log, opts)
        figures = await scenario.play()
    finally:
        await runner.stop()
        await emu.stop()
        clock_module.set_clock(previous_clock)
    seconds = wall.monotonic() - started
    log.say("")
    log.say(f"Демонстрация заняла {seconds:.0f} с. Результаты: {out}/")
    scenario.write_chats(out / "transcript.txt")
    return DemoResult(out, db_path, scenario.programme_id, figures, seconds)


class Scenario:
    def __init__(
        self,
        app: Any,
        emu: Any,
        clock: Any,
        rnd: random.Random,
        log: Transcript,
        opts: Options,
    ) -> None:
        self.app = app
        self.emu = emu
        self.clock = clock
        self.rnd = rnd
        self.log = log
        self.opts = opts
        self.programme_id = 0
        self.curator: Any = None
        self.mentees: list[Actor] = []
        self.mentors: list[Actor] = []
        self.parents: list[Actor] = []

    # -- helpers

    async def curator_person(self, session: Any) -> Any:
        from bot.services.people import person_by_tg

        person = await person_by_tg(session, CURATOR_TG)
        assert person is not None
        return person

    async def jobs(self) -> None:
        from bot.workers.scheduler import run_all_jobs

        await run_all_jobs(self.app)
        await self.drain()

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait until the delivery worker has sent everything due now."""
        from storage.models import OutboxMessage

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            async with self.app.db.read() as s:
                due = await s.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(
                        OutboxMessage.status == "pending",
                        OutboxMessage.not_before <= self.clock.now(),
                    )
                )
            if not due:
                await asyncio.sleep(0.05)
                return
            await asyncio.sleep(0.05)

    def people(self) -> list[Actor]:
        return [*self.mentors, *self.mentees]

    def inbox_note(self, actors: list[Actor], pattern: str, echo_first: bool = True) -> int:
        """Transcript lines for the newest message matching `pattern` of each actor."""
        got = 0
        for actor in actors:
            for message in reversed(actor.user.messages):
                if re.search(pattern, message.text or ""):
                    self.log.got(actor.name, message.text, echo=echo_first and got == 0)
                    got += 1
                    break
        return got

    def write_chats(self, path: Path) -> None:
        lines = list(self.log.lines)
        lines.append("")
        lines.append("=== Полная переписка ===")
        everyone = [
            Actor("curator", "Куратор", 0, self.curator),
            *self.mentors,
            *self.mentees,
            *self.parents,
        ]
        for actor in everyone:
            lines.append("")
            lines.append(f"--- {actor.name} ({ROLE_TITLE[actor.role]}) ---")
            lines.append(actor.user.transcript())
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    # -- the cycle

    async def play(self) -> dict[str, Any]:
        await self.setup_programme()
        await self.log.pause()
        await self.enrol()
        await self.log.pause()
        await self.approve_mentors()
        await self.group_meeting()
        await self.log.pause()
        await self.matching()
        await self.log.pause()
        await self.pair_work()
        await self.log.pause()
        await self.completion()
        figures = await self.final_report()
        await self.finish()
        return figures

    async def setup_programme(self) -> None:
        from bot.services import programmes

        log = self.log
        log.stage("1. Куратор создаёт программу")
        self.curator = self.emu.create_user(
            "Ольга", last_name="Викторовна", id=CURATOR_TG, started=True
        )
        async with self.app.db.session() as s:
            actor = await self.curator_person(s)
            orgs = await programmes.organisations_for(s, actor.id)
            draft = programmes.default_draft()
            draft.update(
                name="Наставничество 2026/27",
                forms=["student_student", "teacher_teacher"],
                is_group=True,  # a mentor takes several mentees
                organisation_id=orgs[0].id,
                timezone=TIMEZONE,
                starts_on="2026-09-01",
                ends_on="2026-10-31",
                quiet="22-08",
                operator_details="МБОУ «Лицей № 1», ИНН 3804000000",
                students_total=400,
                young_teachers_total=12,
            )
            programme = await programmes.create_programme(s, actor, draft)
            self.programme_id = programme.id
            links = await programmes.invite_links(s, actor, programme.id)
        self.codes = {link.kind: link.code for link in links}
        log.say("Куратор Ольга Викторовна создала программу «Наставничество 2026/27».")
        log.say(
            f"Ссылки-приглашения: наставляемым /start {self.codes['mentee']}, "
            f"наставникам /start {self.codes['mentor']}"
        )

    async def enrol(self) -> None:
        log = self.log
        opts = self.opts
        rnd = self.rnd
        used: set[str] = set()
        log.stage(
            f"2. {opts.mentors} наставников и {opts.mentees} наставляемых приходят по ссылкам"
        )
        for _ in range(opts.mentors):
            name, _sex = make_name(rnd, used, patronymic=True)
            user = self.emu.create_user(name.split()[0], last_name=name.split()[-1])
            self.mentors.append(Actor("mentor", name, rnd.randint(26, 58), user))
        for i in range(opts.mentees):
            name, _sex = make_name(rnd, used)
            school = i % 5 != 4  # four in five are school students, the rest young teachers
            age = rnd.randint(12, 17) if school else rnd.randint(22, 29)
            user = self.emu.create_user(name.split()[0], last_name=name.split()[-1])
            actor = Actor("mentee", name, age, user, kind="school" if school else "teacher")
            if age < 18:
                parent_name, _ = make_name(rnd, used, patronymic=True)
                parent_name = " ".join(parent_name.split()[:2]) + " " + name.split()[-1]
                parent_user = self.emu.create_user(parent_name.split()[0])
                actor.parent = Actor("parent", parent_name, 40, parent_user)
                self.parents.append(actor.parent)
            self.mentees.append(actor)

        jobs: list[Callable[[], Awaitable[None]]] = []
        for mentor in self.mentors:
            jobs.append(partial(join_mentor, mentor, self.codes["mentor"], self._rnd(mentor), log))
        for mentee in self.mentees:
            jobs.append(partial(join_mentee, mentee, self.codes["mentee"], self._rnd(mentee), log))
        await in_batches(jobs)
        await self.drain()

        first = self.mentees[0]
        log.say(f"Например, {first.name}, {first.age} лет:")
        for message in first.user.messages[:3]:
            log.got(first.name, message.text)
        minor = next((m for m in self.mentees if m.parent is not None), None)
        if minor is not None and minor.parent is not None:
            log.say(f"{minor.name} ({minor.age} лет) — несовершеннолетний, нужна подпись родителя:")
            log.got(minor.parent.name, minor.parent.user.messages[0].text)
        curator_seen = [m.text for m in self.curator.messages]
        log.say(f"Куратор получил {len(curator_seen)} уведомлений, например:")
        for text in curator_seen[:2]:
            log.got("Куратор", text)
        log.say(
            f"Анкеты заполнили все: {len(self.mentors)} наставников, {len(self.mentees)} "
            f"наставляемых; согласий родителей: {len(self.parents)}."
        )

    def _rnd(self, actor: Actor) -> random.Random:
        # Each person gets their own generator: answers do not depend on the interleaving.
        return random.Random(f"{self.opts.seed}:{actor.role}:{actor.name}")

    async def approve_mentors(self) -> None:
        from bot.services import registry
        from storage.models import Participant

        self.log.stage("3. Куратор одобряет наставников")
        async with self.app.db.session() as s:
            actor = await self.curator_person(s)
            ids = (
                await s.scalars(
                    select(Participant.id)
                    .where(
                        Participant.programme_id == self.programme_id,
                        Participant.role == "mentor",
                    )
                    .order_by(Participant.id)
                )
            ).all()
            for pid in ids:
                await registry.approve_mentor(s, actor, pid)
        await self.drain()
        self.log.say(f"Куратор одобрил {len(ids)} наставников (/mentors → «Одобрить»).")
        self.inbox_note(self.mentors, "одобр")

    async def group_meeting(self) -> None:
        from bot.services import group_meeting

        self.log.stage("4. Общая встреча-знакомство")
        self.clock.advance(days=2)
        async with self.app.db.session() as s:
            actor = await self.curator_person(s)
            ann = await group_meeting.announce(
                s,
                actor,
                self.programme_id,
                day=date(2026, 9, 7),
                at=time(15, 0),
                place="Актовый зал",
            )
        await self.drain()
        self.log.say("Куратор назначил общую встречу на 7 сентября, 15:00, актовый зал.")
        self.inbox_note(self.people(), "Актовый зал")
        self.clock.set(datetime(2026, 9, 7, 16, 0, tzinfo=ZoneInfo(TIMEZONE)))
        async with self.app.db.session() as s:
            actor = await self.curator_person(s)
            meeting = await group_meeting.latest_meeting(s, self.programme_id)
            assert meeting is not None
            present = 0
            eligible = await group_meeting.eligible_participants(s, self.programme_id)
            for participant in eligible:
                if self.rnd.random() < 0.9:
                    await group_meeting.toggle_attendance(s, actor, meeting.id, participant.id)
                    present += 1
            await group_meeting.finish_attendance(s, actor, meeting.id)
        del ann
        self.log.say(f"Куратор отметил присутствие: пришли {present} из {len(eligible)}.")

    async def matching(self) -> None:
        from bot.services import pairs

        self.log.stage("5. Подбор пар и подтверждение")
        async with self.app.db.session() as s:
            actor = await self.curator_person(s)
            summary = await pairs.propose(s, actor, self.programme_id)
        self.log.say(
            f"Куратор запустил подбор (/pairs): предложено пар — {summary.proposed}, "
            f"без пары — {summary.unmatched}."
        )
        async with self.app.db.session() as s:
            actor = await self.curator_person(s)
            confirmed = await pairs.confirm_all(s, actor, self.programme_id)
        self.confirmed = confirmed
        await self.drain()
        self.log.say(f"Куратор подтвердил {len(confirmed)} пар(ы).")
        self.inbox_note(self.mentors, "У вас появилась пара")
        self.inbox_note(self.mentees, "У вас появился наставник")

    async def pair_work(self) -> None:
        from bot.services import alerts, feedback, pair_meetings
        from bot.services.pair_events import load_pair
        from storage.models import Alert, FeedbackRequest

        log = self.log
        log.stage("6. Четыре недели встреч и две волны обратной связи")
        views = []
        async with self.app.db.read() as s:
            for pair_id in self.confirmed:
                view = await load_pair(s, pair_id)
                assert view is not None
                views.append(view)
        silent = views[-1].pair.id if len(views) > 1 else None
        week_start = datetime(2026, 9, 8, 10, 0, tzinfo=ZoneInfo(TIMEZONE))
        for week in range(5):
            self.clock.set(week_start + timedelta(days=7 * week))
            held = 0
            async with self.app.db.session() as s:
                for view in views if week < 4 else []:
                    if view.pair.id == silent or self.rnd.random() < 0.15:
                        continue
                    assert view.mentor.person is not None
                    day = (week_start + timedelta(days=7 * week)).date()
                    await pair_meetings.log_meeting(
                        s,
                        view.mentor.person.id,
                        view.pair.id,
                        day,
                        hour=9,
                        fmt=self.rnd.choice(["in_person", "online"]),
                        topic=self.rnd.choice(["Цели на четверть", "Разбор задач", "Проект"]),
                    )
                    held += 1
            await self.jobs()
            if week < 4:
                log.say(f"Неделя {week + 1}: наставники отметили {held} встреч(и).")
            # Everybody answers the feedback that is open for them.
            async with self.app.db.session() as s:
                open_requests = (
                    await s.scalars(
                        select(FeedbackRequest).where(FeedbackRequest.answered_at.is_(None))
                    )
                ).all()
                for request in open_requests:
                    if self.rnd.random() < 0.1:
                        continue
                    happened = request.pair_id != silent
                    await feedback.submit_feedback(
                        s,
                        request.id,
                        {
                            "meeting_happened": "yes" if happened else "no",
                            "usefulness": self.rnd.randint(3, 5) if happened else 1,
                            "comfort": self.rnd.randint(3, 5),
                            "progress": self.rnd.randint(2, 5) if happened else 1,
                            "difficulty": None,
                            "wants_help": "no" if happened else "yes",
                        },
                    )
            if open_requests:
                log.say(f"  Волна обратной связи: {len(open_requests)} запросов.")
                self.inbox_note(self.people(), "Пара минут о ваших встречах")
            await self.jobs()
        async with self.app.db.session() as s:
            await alerts.check_no_meetings(s)
            count = await s.scalar(
                select(func.count())
                .select_from(Alert)
                .where(Alert.programme_id == self.programme_id)
            )
        await self.jobs()
        log.say(f"Сигналы куратору: {count}.")
        alerts_seen = [m for m in self.curator.messages if "Сигнал" in (m.text or "")]
        for message in alerts_seen[-2:]:
            log.got("Куратор", message.text, limit=400)

    async def completion(self) -> None:
        from bot.services import completion

        self.log.stage("7. Завершение программы")
        self.clock.set(datetime(2026, 10, 6, 12, 0, tzinfo=ZoneInfo(TIMEZONE)))
        async with self.app.db.session() as s:
            actor = await self.curator_person(s)
            status = await completion.start_completion(s, actor, self.programme_id)
        await self.drain()
        self.log.say("Куратор начал завершение (/finish): участникам ушла итоговая анкета.")
        self.inbox_note(self.people(), "подходит к концу")
        del status

    async def finish(self) -> None:
        from bot.services import completion

        self.log.stage("9. Куратор закрывает программу")
        async with self.app.db.session() as s:
            actor = await self.curator_person(s)
            status = await completion.finish_programme(s, actor, self.programme_id)
        await self.drain()
        self.log.say(
            f"Программа «{status.programme_name}» завершена: пар — {status.pairs}, "
            f"участников — {status.participants}."
        )

    async def final_report(self) -> dict[str, Any]:
        from bot.services import charts, export, reports

        self.log.stage("8. Итоговый отчёт (/report)")
        moment = self.clock.now()
        async with self.app.db.read() as s:
            report = await reports.compute_report(s, self.programme_id, moment)
        for block in reports.render_report(report, "ru"):
            self.log.say(plain(block))
        out = self.opts.output
        async with self.app.db.read() as s:
            result = await export.build_export(
                s,
                [self.programme_id],
                out / export.export_file_name(self.programme_id, moment, "ru"),
                now=moment,
            )
        png = charts.report_chart(report, "ru")
        if png is not None:
            (out / "report.png").write_bytes(png)
        self.log.say(f"Выгрузка Excel: {result.path.name}; диаграмма: report.png")
        figures = report_figures(report)
        (out / "report.json").write_text(
            json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        return figures


ROLE_TITLE = {
    "curator": "куратор",
    "mentor": "наставник",
    "mentee": "наставляемый",
    "parent": "родитель",
}


def report_figures(report: Any) -> dict[str, Any]:
    return {
        "programme_id": report.programme_id,
        "by_role_status": {k: dict(v) for k, v in report.by_role_status.items()},
        "active_total": report.active_total,
        "pairs_confirmed": report.pairs_confirmed,
        "consent": {k: [v.part, v.base] for k, v in report.consent.items()},
        "parent_pending": report.parent_pending,
        "meetings_in_window": report.meetings_in_window,
    }


def main(argv: list[str]) -> int:
    opts = parse_args(argv)
    logging.getLogger().setLevel(logging.WARNING)
    result = asyncio.run(run(opts))
    del result
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
