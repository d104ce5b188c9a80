"""`python -m bot demo`: a whole programme cycle on the emulator, with no token and no network.

The real bot runs in this process against an in-process Telegram emulator. Everybody
in the story is a scripted user who does what a person does (`bot.playbook`): the
curator types console commands and presses their buttons, mentors and mentees open the
invitation links, agree, fill in the questionnaires, pick each other in the preference
round, record and confirm meetings and answer the feedback forms and the final survey;
parents of minors open the link their child forwards. The test clock starts on
1 September 2026 in the programme's time zone and moves through four weeks of pair work.

At the end the municipal coordinator looks at both schools of the town (the second one
runs its own programme in the same bot): the three indicators of the target model against
their targets, with their chart, the numbers of an organisation entered, «итоги года»
frozen, and the yearly municipal report in Word.

A Russian story of the key moments goes to the console; the full transcript (with every
chat), the Excel export, the charts from /report and the Word documents of /documents go
to the output folder.

Names and answers come from seeded generators, one per person, and everyone who acts at
the same moment acts on their own chat, so a seed gives the same programme every time:
the same people, answers, pairs and report.
"""

from __future__ import annotations

import argparse
import asyncio
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

from bot.playbook import curator as console
from bot.playbook import participant as people
from bot.playbook.hands import pattern, plain
from bot.services.names import Gender, gender_of
from bot.texts import shorten

TIMEZONE = "Europe/Moscow"
ZONE = ZoneInfo(TIMEZONE)
CURATOR_TG = 5_000_001
COORDINATOR_TG = 5_000_002  # the municipality's coordinator (COORDINATOR_IDS)
COORDINATOR_NAME = "Наталья Игоревна"
# The second school of the municipality (for the coordinator's view): it runs its own
# programme in the same bot; the demo writes its people straight into the database.
NEIGHBOUR = "МБОУ «Средняя общеобразовательная школа № 5» г. Братска"
NEIGHBOUR_TOTALS = "30 6"  # students aged 10–19 and teachers under 35 the coordinator types
NEIGHBOUR_TG = 6_000_000
BATCH = 8  # people acting at the same time
# The curator writes to a school student as to a child, to an adult formally.
HELP_ANSWER = {
    True: (
        "Привет! Видела твою просьбу. Давай встретимся втроём с наставником в четверг "
        "после уроков в кабинете 214 и подберём время, удобное вам обоим."
    ),
    False: (
        "Здравствуйте! Видела вашу просьбу. Давайте встретимся втроём с наставником "
        "в четверг после уроков в кабинете 214 и подберём время, удобное обоим."
    ),
}
HELP_NOTE = "Встретились втроём, договорились о встречах по четвергам"
ORDER_NOTE = "приказ № 12 от 01.09.2026"
# The support of a mentee left without a pair, by the curator (a school student or not).
SUPPORT_NOTE = {
    True: "Пока без пары: занимается с классным руководителем, в ноябре — пара с новым наставником",
    False: "Пока без пары: методист школы помогает с уроками, в ноябре — новый наставник",
}
CLOSING_NOTE = "праздник «Итоги наставничества» 08.10.2026, актовый зал"

MALE_FIRST = ["Артём", "Иван", "Михаил", "Даниил", "Максим", "Лев", "Егор", "Тимофей", "Матвей"]
FEMALE_FIRST = ["Анна", "Мария", "Софья", "Алиса", "Варвара", "Ева", "Полина", "Вера", "Дарья"]
LAST = ["Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов"]
PATRONYMIC = {"m": ["Сергеевич", "Петрович", "Андреевич"], "f": ["Сергеевна", "Петровна"]}
SUBJECTS = ["математика", "русский язык", "физика", "история", "биология", "информатика"]
GOALS = [
    "Подтянуть математику к экзаменам",
    "Подготовиться к олимпиаде",
    "Понять, кем я хочу стать",
    "Сделать свой проект к весне",
    "Вести уроки увереннее",
]
HOBBIES = ["Лего", "Шахматы", "Футбол", "Рисую комиксы", "Играю на гитаре", "Фотография"]
TOPICS = ["Цели на четверть", "Разбор задач", "Проект: план работ", "Подготовка к олимпиаде"]
VALUABLE = [
    "Поддержка и честные советы",
    "Стало больше уверенности в себе",
    "Разобрались с трудными темами",
    "Новые идеи для уроков",
]
REQUESTS = ["grades", "olympiad", "career", "project", "digital", "leadership"]
TEACHER_REQUESTS = ["professional_growth", "digital", "project", "career"]
INTERESTS = ["it", "robotics", "math", "science", "sport", "music", "literature", "history"]
TIMES = ["weekday_afternoon", "weekday_evening", "weekend"]
# The town's employers whose specialists mentor school students («работодатель – ученик»).
EMPLOYERS = [
    "АО «Братская электросетевая компания», инженер",
    "ООО «Братский лесопромышленный комплекс», технолог",
    "ОГАУЗ «Братская городская больница № 2», врач",
    "ПАО «Иркутскэнерго», инженер-программист",
    "АО «Братский завод ферросплавов», мастер участка",
]
PLAN_TASKS = {  # by the mentor's kind
    "employer": [
        "Разбирать трудные задачи на каждой встрече, раз в месяц — пробная работа",
        "Составить план проекта, встречаться по этапам, к весне — защита",
        "Познакомиться с профессиями, сходить на день открытых дверей, выбрать профиль",
    ],
    "teacher": [
        "Посещать уроки друг друга и разбирать их, вести дневник находок",
        "Вместе готовить открытый урок, разбирать его с коллегами",
    ],
}


def moment(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A local moment of the demo's autumn 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=ZONE)


# ----------------------------------------------------------------------------- options


@dataclass
class Options:
    mentees: int = 40
    mentors: int = 12
    seed: int = 2026
    fast: bool = False
    output: Path = Path("demo-output")
    # "max": everybody in MAX, through the MAX emulator; "both": the curator in Telegram,
    # the participants in turn in Telegram and in MAX, one bot serving both.
    messenger: str = "telegram"


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
    parser.add_argument(
        "--messenger",
        choices=("telegram", "max", "both"),
        default="telegram",
        help="мессенджер участников: telegram (по умолчанию), max или both (поровну)",
    )
    args = parser.parse_args(argv)
    if args.mentees < 2 or args.mentors < 1:
        parser.error("нужно хотя бы 2 наставляемых и 1 наставник")
    return Options(
        mentees=args.mentees,
        mentors=args.mentors,
        seed=args.seed,
        fast=args.fast,
        output=Path(args.output),
        messenger=args.messenger,
    )


# ----------------------------------------------------------------------------- transcript


class Transcript:
    """Key moments for the console and for the top of transcript.txt."""

    def __init__(self, fast: bool) -> None:
        self.fast = fast
        self.lines: list[str] = []

    def _out(self, line: str) -> None:
        self.lines.append(line)
        print(line, flush=True)

    def stage(self, title: str) -> None:
        self._out("")
        self._out(f"=== {title} ===")

    def say(self, line: str) -> None:
        self._out(line)

    def got(self, who: str, text: str, limit: int = 240) -> None:
        body = shorten(" ".join(plain(text).split()), limit)
        got = "получила" if gender_of(who) is Gender.FEMALE else "получил"
        self._out(f"  → {who} {got}: «{body}»")

    def screen(self, title: str, text: str) -> None:
        """A whole message as the curator sees it."""
        self._out(f"  [{title}]")
        for line in plain(text).splitlines():
            self._out(f"  │ {line}" if line.strip() else "  │")

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
    rnd: random.Random
    kind: str = ""  # mentee: school | teacher; mentor: employer | teacher; parent: mother | father
    parent: Actor | None = None
    answers: dict[str, Any] = field(default_factory=dict)


def make_name(rnd: random.Random, used: set[str], patronymic: bool = False) -> tuple[str, str]:
    while True:
        sex = rnd.choice("mf")
        first = rnd.choice(MALE_FIRST if sex == "m" else FEMALE_FIRST)
        last = rnd.choice(LAST) + ("" if sex == "m" else "а")
        name = f"{first} {rnd.choice(PATRONYMIC[sex])} {last}" if patronymic else f"{first} {last}"
        if name not in used:
            used.add(name)
            return name, sex


def mentee_profile(actor: Actor) -> dict[str, Any]:
    rnd = actor.rnd
    school = actor.kind == "school"
    return {
        "full_name": actor.name,
        "age": actor.age,
        "category": "school_student" if school else "young_teacher",
        "grade": max(5, min(11, actor.age - 6)),
        "subject": rnd.choice(SUBJECTS),
        "experience_years": rnd.randint(0, 3),
        "requests": rnd.sample(REQUESTS if school else TEACHER_REQUESTS, 2),
        "interests": rnd.sample(INTERESTS, 2),
        "hobbies": rnd.choice(HOBBIES) if school else None,
        "format": rnd.choice(["in_person", "online", "mixed"]),
        "times": rnd.sample(TIMES, 2),
        # a schoolchild's goal, or a young teacher's
        "goals": rnd.choice(GOALS[:4] if school else GOALS[3:]),
        "contact": None if school else f"+7 900 000-{rnd.randint(10, 99)}-{rnd.randint(10, 99)}",
        "share_contact": "yes",  # asked of adults only; children write through the bot
    }


def mentor_profile(actor: Actor) -> dict[str, Any]:
    """A specialist of an employer mentors school students («работодатель – ученик»); a
    teacher mentors young teachers («педагог – педагог»): the ages they take say so."""
    rnd = actor.rnd
    teacher = actor.kind == "teacher"
    return {
        "full_name": actor.name,
        "age": actor.age,
        "category": "teacher" if teacher else "employer",
        "workplace": f"МБОУ «Лицей № 1», учитель: {rnd.choice(SUBJECTS)}"
        if teacher
        else rnd.choice(EMPLOYERS),
        "education": None,
        "experience": f"{rnd.randint(3, 25)} лет " + ("в школе" if teacher else "на предприятии"),
        "competencies": rnd.sample(TEACHER_REQUESTS, 3) if teacher else rnd.sample(REQUESTS, 3),
        "life_experience": None,
        "interests": rnd.sample(INTERESTS, 3),
        "strengths": rnd.choice(["Терпение и внимание", "Умею объяснять просто", None]),
        "motivation": "Хочу делиться опытом",
        "expectations": None,
        "readiness": rnd.randint(4, 5),
        "mentee_ages": ["18_25", "adult"]
        if teacher
        else rnd.choice([["14_17"], ["10_13", "14_17"]]),
        "hours_per_month": rnd.choice([4, 6, 8]),
        "frequency": rnd.choice(["weekly", "biweekly"]),
        "capacity": rnd.choice([3, 4, 4, 5]),
        "format": rnd.choice(["in_person", "online", "mixed"]),
        "times": rnd.sample(TIMES, 2),
        "contacts": f"mentor{rnd.randint(100, 999)}@example.org",
        # Some mentors share their contacts with mentees, the others talk through the bot.
        "share_contacts": "yes" if actor.age % 2 else "no",
    }


def affinity(mentee: Actor, mentor: Actor) -> int:
    """How much a mentee and a mentor have in common by their own answers."""
    a, b = mentee.answers, mentor.answers
    return 2 * len(set(a["requests"]) & set(b["competencies"])) + len(
        set(a["interests"]) & set(b["interests"])
    )


def feedback(actor: Actor, met: bool, troubled: bool) -> dict[str, Any]:
    rnd = actor.rnd
    if troubled:
        return {
            "meeting_happened": "no",
            "usefulness": 2,
            "comfort": rnd.randint(2, 3),
            "progress": 1,
            "difficulty": "Никак не получается встретиться: не совпадает расписание",
            "wants_help": "yes",
        }
    return {
        "meeting_happened": "yes" if met else "no",
        "usefulness": rnd.randint(3, 5),
        "comfort": rnd.randint(3, 5),
        "progress": rnd.randint(3, 5),
        "difficulty": "Иногда не хватает времени" if rnd.random() < 0.2 else None,
        "wants_help": "no",
    }


def survey(actor: Actor) -> dict[str, Any]:
    rnd = actor.rnd
    return {
        "expectations": rnd.randint(6, 10),
        "comfort": rnd.randint(7, 10),
        "usefulness": rnd.randint(6, 10),
        "goals_reached": rnd.randint(5, 10),
        # «new ideas for lessons» is a teacher's answer, not a schoolchild's
        "most_valuable": rnd.choice(VALUABLE[:3] if actor.kind == "school" else VALUABLE),
        "improve": rnd.choice([None, "Больше общих встреч всех пар"]),
    }


async def together(jobs: Iterable[Callable[[], Awaitable[Any]]], size: int = BATCH) -> None:
    """Run the jobs with at most `size` of them at a time (people acting at once)."""
    room = asyncio.Semaphore(size)

    async def one(job: Callable[[], Awaitable[Any]]) -> None:
        async with room:
            await job()

    await asyncio.gather(*(one(job) for job in jobs))


# ----------------------------------------------------------------------------- the run


@dataclass
class DemoResult:
    output: Path
    database: Path
    programme_id: int
    figures: dict[str, Any]
    seconds: float


async def run(opts: Options) -> DemoResult:
    from bot.app.factory import build_app
    from bot.config import Settings
    from bot.infra import clock as clock_module
    from emulator import Emulator
    from emulator.server import free_port
    from emulator.testing import InProcessBot

    started = wall.monotonic()
    out = opts.output
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    db_path = out / "demo.db"

    clock = clock_module.TestClock(moment(9, 1, 9))
    previous_clock = clock_module.get_clock()
    clock_module.set_clock(clock)
    emu: Any
    max_emu: Any = None
    if opts.messenger in ("max", "both"):
        from bot.max.ids import user_to_core
        from emulator.max import MaxEmulator

        max_emu = MaxEmulator(rate_limits=False, clock=clock)
        await max_emu.start()
    if opts.messenger == "max":
        emu = max_emu
        tokens: dict[str, Any] = {"max_bot_token": emu.token, "max_api_url": emu.url}
        curator = user_to_core(CURATOR_TG)
        coordinator = user_to_core(COORDINATOR_TG)
    else:
        emu = Emulator(rate_limits=False, clock=clock)
        await emu.start()
        tokens = {"bot_token": emu.token, "telegram_api_url": emu.url}
        curator = CURATOR_TG
        coordinator = COORDINATOR_TG
        if max_emu is not None:
            tokens.update(max_bot_token=max_emu.token, max_api_url=max_emu.url)
            emu = BothMessengers(emu, max_emu)
    dashboard_port = free_port()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        **tokens,
        database_url=f"sqlite+aiosqlite:///{db_path}",
        curator_ids=[curator],
        coordinator_ids=[coordinator],
        timezone=TIMEZONE,
        throttle_rate=10_000,
        delivery_global_per_s=1000.0,
        delivery_chat_per_s=100.0,
        delivery_group_per_min=1000.0,
        max_requests_per_second=1000,  # the emulators run without MAX's and Telegram's limits
        scheduler_speed=1.0,
        log_level="WARNING",
        dashboard_host="127.0.0.1",
        dashboard_port=dashboard_port,
        dashboard_base_url=f"http://127.0.0.1:{dashboard_port}",
    )
    app = await build_app(settings, clock=clock)
    runner = InProcessBot(app, emu, mode="polling")
    await runner.start()
    log = Transcript(opts.fast)
    scenario = Scenario(app, emu, clock, log, opts)
    try:
        figures = await scenario.play()
    finally:
        await runner.stop()
        await emu.stop()
        clock_module.set_clock(previous_clock)
    if max_emu is not None:
        emu = max_emu
        # Every request the bot made was a real MAX Bot API call (emulator/max/schema.py).
        log.say("")
        log.say(f"Запросов к MAX: {len(emu.calls)}, отклонено схемой MAX: {len(emu.rejections)}.")
        if emu.rejections:
            raise RuntimeError(f"MAX refused {len(emu.rejections)} requests: {emu.rejections[:3]}")
    seconds = wall.monotonic() - started
    log.say("")
    log.say(f"Демонстрация заняла {seconds:.0f} с. Результаты: {out}/")
    scenario.write_transcript(out / "transcript.txt")
    return DemoResult(out, db_path, scenario.programme_id, figures, seconds)


class BothMessengers:
    """The Telegram emulator with the MAX one beside it: the first person (the curator)
    is in Telegram, then people come in turn from Telegram and from MAX."""

    def __init__(self, telegram: Any, max_emulator: Any) -> None:
        self.telegram = telegram
        self.max = max_emulator
        self.created = 0

    def create_user(self, *args: Any, **kwargs: Any) -> Any:
        self.created += 1
        side = self.telegram if self.created % 2 == 1 else self.max
        return side.create_user(*args, **kwargs)

    async def wait_for_polling(self, timeout: float = 10.0) -> None:
        await self.telegram.wait_for_polling(timeout)
        await self.max.wait_for_polling(timeout)

    async def stop(self) -> None:
        await self.telegram.stop()
        await self.max.stop()


class Scenario:
    def __init__(self, app: Any, emu: Any, clock: Any, log: Transcript, opts: Options) -> None:
        self.app = app
        self.emu = emu
        self.clock = clock
        self.log = log
        self.opts = opts
        self.rnd = random.Random(opts.seed)  # the curator's own choices, in order
        self.programme_id = 0
        self.curator: Any = None
        self.coordinator: Any = None
        self.mentees: list[Actor] = []
        self.mentors: list[Actor] = []
        self.parents: list[Actor] = []
        self.came: set[str] = set()
        self.groups: list[tuple[Actor, list[Actor]]] = []  # confirmed pairs, by id
        self.silent: tuple[Actor, list[Actor]] | None = None  # the pair that does not meet
        self.met: dict[str, int] = {}  # mentor → meetings since the last feedback round
        self.silent_quiet = True  # until the curator steps in
        self.notes: dict[str, str] = {}  # mentee → the first meeting note they confirmed
        self.codes: dict[str, str] = {}
        self.heroes: dict[str, Actor] = {}  # a minor mentee we follow, and their mentor

    # -- helpers

    @property
    def hero(self) -> Actor:
        return self.heroes["mentee"]

    @property
    def hero_mentor(self) -> Actor:
        return self.heroes["mentor"]

    def at(self, when: datetime) -> None:
        self.clock.set(when)

    async def jobs(self) -> None:
        """The scheduled work that falls due now, and its messages delivered."""
        from bot.infra.scheduler import run_all_jobs

        await run_all_jobs(self.app)
        await self.drain()

    async def drain(self, timeout: float = 60.0) -> None:
        """Wait until the delivery worker has sent everything due now."""
        from storage.models import OutboxMessage, OutboxStatus

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            async with self.app.db.read() as s:
                due = await s.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(
                        OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
                        OutboxMessage.not_before <= self.clock.now(),
                    )
                )
            if not due:
                return
            await asyncio.sleep(0.05)

    def actor(self, name: str) -> Actor:
        return next(a for a in [*self.mentors, *self.mentees] if a.name == name)

    def newest(self, actor: Actor, key: str) -> Any:
        """The newest message of the actor's chat that is the bot text `key`."""
        found = pattern(key)
        return next((m for m in reversed(actor.user.messages) if found.search(m.text)), None)

    def show(self, actor: Actor, key: str) -> None:
        message = self.newest(actor, key)
        if message is not None:
            self.log.got(actor.name, message.text)

    def write_transcript(self, path: Path) -> None:
        titles = {"mentor": "наставник", "mentee": "наставляемый", "parent": "родитель"}
        lines = [*self.log.lines, "", "=== Полная переписка ==="]
        lines += ["", "--- Куратор ---", self.curator.transcript()]
        if self.coordinator is not None:
            lines += ["", "--- Координатор ---", self.coordinator.transcript()]
        for actor in [*self.mentors, *self.mentees, *self.parents]:
            lines += ["", f"--- {actor.name} ({titles[actor.role]}) ---", actor.user.transcript()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    # -- the cycle

    async def play(self) -> dict[str, Any]:
        for step in (
            self.setup_programme,
            self.enrol,
            self.approve_mentors,
            self.group_meeting,
            self.preference_round,
            self.matching,
            self.pair_work,
            self.completion,
        ):
            await step()
            await self.log.pause()
        # The dashboard while the pairs still work (closing the programme ends them).
        await self.dashboard_screens()
        await self.finish()
        figures = await self.final_report()
        await self.log.pause()
        await self.coordinator_view()
        await self.coordinator_dashboard()
        return figures

    async def setup_programme(self) -> None:
        log = self.log
        log.stage("1. Куратор создаёт программу — 1 сентября")
        self.curator = self.emu.create_user(
            "Ольга", last_name="Викторовна", id=CURATOR_TG, started=True
        )
        spec = console.ProgrammeSpec(
            name="Наставничество 2026/27",
            organisation="Муниципальное бюджетное общеобразовательное учреждение "
            "«Лицей № 1» г. Братска",
            address="665700, г. Братск, ул. Школьная, 1",
            forms=("employer_student", "teacher_teacher"),
            group=True,  # a mentor takes several mentees
            timezone="moscow",
            starts="01.09.2026",
            ends="16.10.2026",
            operator_details="665700, г. Братск, ул. Школьная, 1; ИНН 3804000000; "
            "8 (3953) 00-00-00, school1@example.org",
            students=400,
            young_teachers=12,
            goals="Каждый обучающийся 10–19 лет и каждый молодой педагог — в паре с наставником; "
            "итог года — планы пар выполнены, охват не меньше 70%.",
        )
        created = await console.create_programme(self.curator, spec)
        log.say(
            "Куратор Ольга Викторовна набирает /program и отвечает на вопросы мастера: "
            "название, формы «работодатель – ученик» и «педагог – педагог», групповой формат, "
            "полное название и адрес школы, часовой пояс, сроки, тихие часы, оператор "
            "персональных данных и его контакты."
        )
        log.screen("Куратор видит", created.text)
        self.codes = await console.invitation_codes(self.curator)
        log.say("Команда /invite даёт ссылки-приглашения (и QR-коды для объявления):")
        site = "max.ru" if self.opts.messenger == "max" else "t.me"
        log.say(f"  наставляемым: {site}/…?start={self.codes['mentee']}")
        log.say(f"  наставникам:  {site}/…?start={self.codes['mentor']}")
        from storage.models import Programme

        async with self.app.db.read() as s:
            self.programme_id = int(await s.scalar(select(func.max(Programme.id))) or 0)

    def cast(self) -> None:
        rnd = random.Random(self.opts.seed)
        used: set[str] = set()

        def own(role: str, name: str) -> random.Random:
            # Each person has their own generator: answers do not depend on who acts first.
            return random.Random(f"{self.opts.seed}:{role}:{name}")

        for i in range(self.opts.mentors):
            name, _sex = make_name(rnd, used, patronymic=True)
            user = self.emu.create_user(name.split()[0], last_name=name.split()[-1])
            actor = Actor("mentor", name, rnd.randint(26, 58), user, own("mentor", name))
            # Every third mentor is a teacher (for the young teachers), the others come
            # from the town's employers (for the school students).
            actor.kind = "teacher" if i % 3 == 2 else "employer"
            actor.answers = mentor_profile(actor)
            self.mentors.append(actor)
        for i in range(self.opts.mentees):
            name, sex = make_name(rnd, used)
            school = i % 5 != 4  # four in five are school students, the rest young teachers
            age = rnd.randint(12, 17) if school else rnd.randint(22, 29)
            user = self.emu.create_user(name.split()[0], last_name=name.split()[-1])
            kind = "school" if school else "teacher"
            actor = Actor("mentee", name, age, user, own("mentee", name), kind=kind)
            actor.answers = mentee_profile(actor)
            if age < 18:
                first, parent_sex = make_name(rnd, used, patronymic=True)
                family = name.split()[-1].removesuffix("а") if sex == "f" else name.split()[-1]
                family += "а" if parent_sex == "f" else ""
                parent_name = " ".join(first.split()[:2]) + " " + family
                parent_user = self.emu.create_user(first.split()[0], last_name=family)
                actor.parent = Actor("parent", parent_name, 40, parent_user, own("parent", name))
                actor.parent.kind = "mother" if parent_sex == "f" else "father"
                self.parents.append(actor.parent)
            self.mentees.append(actor)

    async def enrol(self) -> None:
        log = self.log
        log.stage(
            f"2. {self.opts.mentors} наставников и {self.opts.mentees} наставляемых "
            "приходят по ссылкам"
        )
        self.cast()
        everyone = [*self.mentors, *self.mentees]
        # One after another through the door (the order of registration is the seed's),
        # then all of them answer at once.
        for actor in everyone:
            await people.arrive(actor.user, self.codes[actor.role])

        def joining(actor: Actor) -> Callable[[], Awaitable[Any]]:
            profile = f"{actor.role}_profile"
            parent = (
                people.Parent(actor.parent.user, actor.parent.name, actor.parent.kind)
                if actor.parent
                else None
            )
            return lambda: people.join(actor.user, profile, actor.answers, parent=parent)

        await together(joining(actor) for actor in everyone)
        await self.drain()

        hero = self.heroes["mentee"] = next(m for m in self.mentees if m.parent is not None)
        log.say(
            f"Все открыли ссылку, ответили на вопросы и дали согласие; у {len(self.parents)} "
            "несовершеннолетних согласие дали родители по пересланной ссылке: представились, "
            "сказали, кем приходятся ребёнку, и прочитали, что значит участие в программе."
        )
        log.say(f"Например, {hero.name}, {hero.age} лет:")
        self.show(hero, "journey-about-mentee")
        self.show(hero, "journey-parent-needed")
        assert hero.parent is not None
        self.show(hero.parent, "parent-hello")
        self.show(hero.parent, "parent-ask-relation")
        self.show(hero.parent, "parent-explain")
        self.show(hero.parent, "journey-parent-thanks-agreed")
        self.show(hero, "journey-parent-agreed")
        log.got(hero.name, hero.user.messages[-1].text)
        parents = pattern("journey-curator-parent-wait"), pattern("journey-curator-parent-agreed")
        told = [m for m in self.curator.messages if any(p.search(m.text) for p in parents)]
        log.say(
            f"Отдельных сообщений куратору о согласиях — {len(told)}: они собираются в одну "
            "сводку за день (/digest), которую куратор получает в выбранный час."
        )

    async def approve_mentors(self) -> None:
        log = self.log
        log.stage("3. Куратор отбирает наставников — 2 сентября")
        self.at(moment(9, 2, 10))
        approved = await console.approve_mentors(self.curator, trained=True)
        await self.drain()
        log.say(
            "/mentors → «ждут решения» → карточка наставника с его анкетой → «✅ Включить в "
            f"реестр» и «🎓 Обучение пройдено». В реестре: {len(approved)} из {len(self.mentors)}."
        )
        first = self.actor(approved[0])
        self.show(first, "registry-notify-approved")
        # What was done outside the bot is ticked by hand, the school's order with its number.
        ticks: tuple[tuple[int, dict[str, str | None]], ...] = (
            (1, {"documents": ORDER_NOTE, "roadmap": None}),
            (2, {"inform-parents": None}),
            (3, {"partners": None}),
            (4, {"criteria": None}),
        )
        seen = []
        for stage, items in ticks:
            seen.append(await console.tick_items(self.curator, stage, items))
        log.say(
            "В /checklist куратор отмечает то, что сделано вне бота: приказ о программе "
            f"(с примечанием «{ORDER_NOTE}»), дорожную карту, информирование родителей, "
            "работу с партнёрами и критерии отбора наставников. Например, этап 1:"
        )
        log.screen("Куратор видит", seen[0])

    async def group_meeting(self) -> None:
        log = self.log
        log.stage("4. Общая встреча-знакомство — 7 сентября")
        sent = await console.announce_meeting(
            self.curator, date(2026, 9, 7), time(15, 0), "Актовый зал, 2 этаж"
        )
        await self.drain()
        log.say("/meeting → календарь → 7 сентября → 15:00 → место → «Разослать приглашение».")
        log.screen("Куратор видит", sent.text)
        self.show(self.hero, "meeting-notify-announce")
        self.at(moment(9, 7, 9))
        await self.jobs()
        self.show(self.hero, "meeting-notify-remind")

        self.at(moment(9, 7, 16, 30))
        everyone = [*self.mentors, *self.mentees]
        absent = {a.name for a in everyone if a is not self.hero and self.rnd.random() < 0.1}
        self.came = {a.name for a in everyone} - absent
        saved = await console.record_attendance(self.curator, self.came)
        log.say("После встречи куратор отмечает пришедших: /meeting → «Отметить, кто пришёл».")
        log.screen("Куратор видит", saved.text)

    async def preference_round(self) -> None:
        log = self.log
        log.stage("5. Сбор предпочтений — 7–8 сентября")
        self.at(moment(9, 7, 17))
        opened = await console.open_preferences(self.curator)
        await self.drain()
        log.say("/preferences → «Открыть сбор»: анкету выбора получают те, кто был на встрече.")
        log.screen("Куратор видит", opened.text)
        mentors = [m for m in self.mentors if m.name in self.came]
        mentees = [m for m in self.mentees if m.name in self.came]

        def choices(actor: Actor) -> list[str]:
            others = mentors if actor.role == "mentee" else mentees
            ranked = sorted(
                others,
                key=lambda o: (
                    -(affinity(actor, o) if actor.role == "mentee" else affinity(o, actor)),
                    actor.rnd.random(),
                ),
            )
            return [o.name for o in ranked[: 3 if actor.role == "mentee" else 2]]

        def choosing(actor: Actor) -> Callable[[], Awaitable[Any]]:
            wanted = choices(actor)
            return lambda: people.choose_people(actor.user, wanted)

        pickers = {}
        for actor in [*mentors, *mentees]:
            pickers[actor.name] = choosing(actor)
        await together(pickers.values())
        self.show(self.hero, "prefs-notify-open-mentee")
        picked = self.newest(self.hero, "prefs-picker-done")
        if picked is not None:
            log.say(f"{self.hero.name} выбирает наставников по порядку и нажимает «Готово»:")
            log.screen(self.hero.name, picked.text)

        self.at(moment(9, 8, 10))
        progress, closed = await console.close_preferences(self.curator)
        log.say("Утром 8 сентября куратор смотрит /preferences и закрывает сбор:")
        log.screen("Куратор видит", progress)
        log.screen("Куратор видит", closed.text)

    async def matching(self) -> None:
        from storage.models import Pair, PairMember, Participant

        log = self.log
        log.stage("6. Подбор пар и подтверждение — 8 сентября")
        self.at(moment(9, 8, 10, 30))
        ran, proposals = await console.run_matching(self.curator)
        log.say(
            "/pairs → «⚙️ Подобрать пары»: учтены анкеты и взаимные выборы; к каждой паре — почему."
        )
        log.screen("Куратор видит", ran)
        for page in proposals:
            log.screen("Куратор видит", page)
        lonely, assigned = await console.assign_unmatched(self.curator)
        if assigned:
            log.say(
                "Подбор оставил без наставника нескольких наставляемых: куратор видит "
                "причины и назначает их сам — «🙋 Без пары» → «📌 Назначить» → наставник "
                f"со свободными местами (назначено: {len(assigned)})."
            )
            log.screen("Куратор видит", lonely)
            for mentee, mentor in assigned:
                log.say(f"  {mentee} → {mentor}")
        left = await self.unpaired()
        if left:
            log.say(
                f"Без пары остаются: {', '.join(left)}. Свободные места есть только у "
                "наставников, к которым их нельзя поставить по правилам подбора: там группа "
                "другой формы наставничества или в анкете наставника другой возраст (кнопки "
                "с ⚠️). Куратор не нарушает правила и ищет ещё одного наставника."
            )
        confirmed = await console.confirm_pairs(self.curator)
        await self.drain()
        log.screen("Куратор видит", confirmed.text)
        for name in left:
            support = SUPPORT_NOTE[self.actor(name).kind == "school"]
            await console.note_mentee(self.curator, name, support)
        if left:
            log.say(
                "Каждому, кто остался без пары, куратор записывает в карточку (/mentees → "
                "«📝 Заметка куратора»), какую поддержку он получает, например: "
                f"«{SUPPORT_NOTE[True]}»."
            )

        async with self.app.db.read() as s:
            rows = await s.execute(
                select(Pair.id, Participant.display_name, PairMember.mentee_id)
                .join(Participant, Participant.id == Pair.mentor_id)
                .join(PairMember, PairMember.pair_id == Pair.id)
                .where(Pair.programme_id == self.programme_id, Pair.status == "confirmed")
                .order_by(Pair.id, PairMember.id)
            )
            names = {
                p.id: p.display_name
                for p in await s.scalars(
                    select(Participant).where(Participant.programme_id == self.programme_id)
                )
            }
        groups: dict[int, tuple[Actor, list[Actor]]] = {}
        for pair_id, mentor_name, mentee_id in rows:
            group = groups.setdefault(pair_id, (self.actor(mentor_name), []))
            group[1].append(self.actor(names[mentee_id]))
        self.groups = list(groups.values())
        self.heroes["mentor"] = next(m for m, group in self.groups if self.hero in group)
        # The smallest group but the hero's has trouble meeting at first.
        others = [g for g in self.groups if g[0] is not self.hero_mentor]
        self.silent = min(reversed(others), key=lambda g: len(g[1]), default=None)
        self.show(self.hero_mentor, "pairs-intro-mentor")
        self.show(self.hero, "pairs-intro-mentee")
        if self.hero.parent is not None:
            self.show(self.hero.parent, "parent-paired")
        await self.first_words()
        screen = await console.checklist(self.curator)
        log.say("/checklist — где программа по семи этапам целевой модели:")
        log.screen("Куратор видит", screen.text)

    async def unpaired(self) -> list[str]:
        """The active mentees of the programme in no proposed or confirmed pair."""
        from storage.models import Pair, PairMember, Participant

        async with self.app.db.read() as s:
            placed = (
                select(PairMember.mentee_id)
                .join(Pair, Pair.id == PairMember.pair_id)
                .where(
                    Pair.programme_id == self.programme_id,
                    Pair.status.in_(("proposed", "confirmed")),
                )
            )
            names = await s.scalars(
                select(Participant.display_name)
                .where(
                    Participant.programme_id == self.programme_id,
                    Participant.role == "mentee",
                    Participant.status == "active",
                    Participant.id.not_in(placed),
                )
                .order_by(Participant.display_name)
            )
            return [name for name in names if name]

    async def first_words(self) -> None:
        """The hero writes to the mentor through the bot, and the mentor answers there."""
        log = self.log
        await people.write_through_bot(
            self.hero.user, "relay-btn-to-mentor", "Здравствуйте! А когда будет первая встреча?"
        )
        await self.drain()
        await people.answer_through_bot(
            self.hero_mentor.user,
            "Здравствуй! Сегодня предложу время — придёт сообщение с кнопками.",
        )
        await self.drain()
        log.say(
            "Контакты участников группы друг другу не показываются, контакт ребёнка взрослому "
            "наставнику — тоже, а контакт наставника — только если он сам так решил в анкете "
            "(docs/contacts.md). Писать друг другу можно через бота: «✉️ Написать наставнику»."
        )
        for actor, sender in ((self.hero_mentor, "mentee"), (self.hero, "mentor")):
            found = pattern("relay-incoming", role=sender)
            got = next((m for m in reversed(actor.user.messages) if found.search(m.text)), None)
            if got is not None:
                log.got(actor.name, got.text)

    async def meetings_week(self, day: date) -> None:
        """Friday: mentors record the week's meetings, mentees confirm them."""
        self.at(datetime.combine(day, time(17, 0), ZONE))
        held = confirmed = 0

        async def week(mentor: Actor, mentees: list[Actor]) -> None:
            nonlocal held, confirmed
            quiet = self.silent_quiet and self.silent is not None and mentor is self.silent[0]
            if quiet or (mentor is not self.hero_mentor and mentor.rnd.random() < 0.15):
                return
            fmt = mentor.answers["format"] if mentor.answers["format"] != "mixed" else "online"
            topic = mentor.rnd.choice([*TOPICS, None])
            # The mentor enters when the meeting started (a different hour per mentor).
            at = time(14 + len(mentor.name) % 3, 30)
            await people.log_meeting(mentor.user, day, fmt, topic, at)
            held += 1
            self.met[mentor.name] = self.met.get(mentor.name, 0) + 1
            # One tap of any mentee of the group confirms the meeting for the group.
            sure = next((m for m in mentees if m.rnd.random() < 0.8), None)
            if self.hero in mentees:
                sure = self.hero
            if sure is not None:
                note = await people.confirm_meeting(sure.user, day)
                self.notes.setdefault(sure.name, note)
                confirmed += 1

        await together(partial(week, mentor, mentees) for mentor, mentees in self.groups)
        await self.jobs()
        self.log.say(
            f"Пятница {day:%d.%m}: наставники записали в /meetings встреч — {held}; "
            f"наставляемые подтвердили их одной кнопкой — {confirmed}."
        )

    async def pair_plans(self) -> None:
        """After the first meeting each mentor writes the pair's plan in /meetings: the
        goals the mentees named, the tasks, the format and how often they meet."""
        self.at(moment(9, 12, 11))

        def planning(mentor: Actor, mentees: list[Actor]) -> Callable[[], Awaitable[Any]]:
            goals = "; ".join(dict.fromkeys(m.answers["goals"] for m in mentees))
            answers = {
                "goals": goals,
                "tasks": mentor.rnd.choice(PLAN_TASKS[mentor.kind]),
                "format": mentor.answers["format"],
                "frequency": mentor.answers["frequency"],
                "until": "16.10.2026",
            }
            return lambda: people.fill_plan(mentor.user, answers)

        await together(planning(mentor, mentees) for mentor, mentees in self.groups)
        await self.drain()
        self.log.say(
            "12.09: после первой встречи наставники составляют в /meetings → «📝 План "
            "работы» индивидуальный план пары или группы: цели, задачи, формат и частоту "
            f"встреч — планов {len(self.groups)}; наставляемые получают его в чат."
        )
        self.show(self.hero, "pairs-plan-shared")

    async def feedback_round(self, number: int, due: datetime) -> None:
        log = self.log
        self.at(due)
        await self.jobs()
        asked = [a for a in self.everyone_paired() if self.newest(a, "pairs-feedback-ask")]
        log.say(
            f"{due:%d.%m}: прошло две недели — бот сам присылает короткую анкету "
            f"«Как проходят встречи» ({len(asked)} участникам)."
        )
        if number == 1:
            self.show(self.hero, "pairs-feedback-ask")
        troubled = set()
        if number == 1 and self.silent is not None:
            # The mentor and one mentee say what is wrong; the others just had no meeting.
            troubled = {self.silent[0].name, self.silent[1][0].name}
        late = [a for a in asked if a.name not in troubled and a.rnd.random() < 0.12]
        on_time = [a for a in asked if a.name not in troubled and a not in late]

        def answering(actor: Actor, reminded: bool = False) -> Callable[[], Awaitable[Any]]:
            mentor = actor if actor.role == "mentor" else self.mentor_of(actor)
            met = self.met.get(mentor.name, 0) > 0
            answers = feedback(actor, met, actor.name in troubled)
            return lambda: people.fill_feedback(actor.user, answers, reminded=reminded)

        await together(answering(a) for a in on_time)
        # The pair in trouble answers last, one by one: the curator's signals come in order.
        for actor in asked:
            if actor.name in troubled:
                await answering(actor)()
        await self.jobs()
        for mentor in self.met:
            self.met[mentor] = 0
        log.say(f"Ответили сразу: {len(on_time) + len(troubled)} из {len(asked)}.")
        if number == 1 and late:
            self.at(due + timedelta(days=2, minutes=30))
            await self.jobs()
            answer_now = [a for a in late if a.rnd.random() < 0.6]
            await together(answering(a, reminded=True) for a in answer_now)
            log.say(
                f"Через два дня не ответившим ({len(late)}) бот один раз мягко напоминает; "
                f"после напоминания ответили ещё {len(answer_now)}."
            )

    def everyone_paired(self) -> list[Actor]:
        return [a for mentor, mentees in self.groups for a in (mentor, *mentees)]

    def mentor_of(self, mentee: Actor) -> Actor:
        return next(mentor for mentor, mentees in self.groups if mentee in mentees)

    async def pair_work(self) -> None:
        log = self.log
        log.stage("7. Четыре недели работы пар, обратная связь и сигналы куратору")
        if self.silent is not None:
            log.say(
                f"(В этой истории пара {self.silent[0].name} сначала никак не может "
                "встретиться — посмотрим, что увидит куратор.)"
            )
        await self.meetings_week(date(2026, 9, 11))
        self.show(self.hero_mentor, "pairs-logged")
        if self.hero.name in self.notes:
            log.got(self.hero.name, self.notes[self.hero.name])
        await self.pair_plans()
        await self.meetings_week(date(2026, 9, 18))
        await self.feedback_round(1, moment(9, 22, 11))
        signals = [m for m in self.curator.messages if pattern("pairs-alert-title").search(m.text)]
        log.say(f"Куратору сразу приходят сигналы — {len(signals)}, первый из них:")
        for message in signals[:1]:
            log.got("Куратор", message.text, limit=400)
        if self.silent is not None:
            asker = self.silent[1][0]
            help_call = next(
                (
                    m
                    for m in self.curator.messages
                    if pattern("cases-line-help", person=asker.name).search(m.text)
                ),
                None,
            )
            if help_call is not None:
                log.say(
                    f"{asker.name} просит помощи куратора — эти слова приходят куратору "
                    "вместе с кнопками «✉️ Ответить» и «✅ Закрыть»:"
                )
                log.got("Куратор", help_call.text, limit=600)
            self.show(asker, "cases-opened")

        self.at(moment(9, 24, 12))
        seen = await self.handle_alerts()
        log.say("Куратор открывает /alerts, созванивается с парой и отмечает сигнал разобранным:")
        log.screen("Куратор видит", seen)
        if self.silent is not None:
            await self.answer_help_calls(seen)
        await self.meetings_week(date(2026, 9, 25))
        await self.meetings_week(date(2026, 10, 2))
        await self.feedback_round(2, moment(10, 6, 11))

    async def handle_alerts(self) -> str:
        """/alerts, and the silent pair's «no meetings» signal marked as dealt with."""
        seen, _screen = await console.alerts(self.curator)
        if self.silent is not None:
            no_meeting = pattern("pairs-alert-no-meeting")
            for line in seen.split("\n"):
                number = re.match(r"(\d+)\. ", line)
                if number and no_meeting.search(line) and self.silent[0].name in line:
                    await console.alerts(self.curator, resolve=int(number.group(1)))
                    break
        self.silent_quiet = False  # the curator has talked to them: they start meeting
        return seen

    async def answer_help_calls(self, seen: str) -> None:
        """The curator answers the silent pair's calls for help through the bot and closes
        them with a note."""
        assert self.silent is not None
        log = self.log
        mentor, mentees = self.silent
        asker = mentees[0]
        number = console.case_number(seen, "cases-line-help", asker.name)
        if number is None:
            return
        await console.answer_case(self.curator, number, HELP_ANSWER[asker.kind == "school"])
        await self.drain()
        answer = await people.curator_answer(asker.user)
        log.say("Куратор нажимает «✉️ Ответить» и отвечает прямо через бота:")
        log.got(asker.name, answer.text)
        await console.close_case(self.curator, number, HELP_NOTE)
        seen_now, _screen = await console.alerts(self.curator)
        other = console.case_number(seen_now, "cases-line-help", mentor.name)
        if other is not None:
            await console.close_case(self.curator, other, HELP_NOTE)
        await self.drain()
        log.say(
            "Договорившись, куратор закрывает обращения кнопкой «✅ Закрыть» с заметкой "
            f"«{HELP_NOTE}» — в /report и выгрузке они видны как закрытые."
        )

    async def completion(self) -> None:
        log = self.log
        log.stage("8. Завершение программы — 7 октября")
        self.at(moment(10, 7, 12))
        status = await console.start_completion(self.curator)
        await self.drain()
        log.say(
            "/finish → «🎓 Начать завершение» → «Да, разослать»: участники получают итоговую "
            "анкету, наставники голосуют за «Наставника года», наставляемых спрашивают, "
            "хотят ли они сами стать наставниками."
        )
        log.screen("Куратор видит", status.text)
        self.show(self.hero, "pairs-final-ask")
        mentors = [m for m, _ in self.groups]

        def closing(actor: Actor) -> Callable[[], Awaitable[Any]]:
            answers = survey(actor) if actor.rnd.random() < 0.9 else None
            if actor.role == "mentor":
                others = [m.name for m in mentors if m is not actor]
                vote = None
                if others:
                    # Most vote for the first mentor: the demo names a «Наставник года».
                    choice = mentors[0].name if actor is not mentors[0] else others[0]

                    def vote(offered: list[str], choice: str = choice) -> str:
                        return choice if choice in offered else offered[0]

                return lambda: people.complete_programme(actor.user, answers, vote=vote)
            wants = actor.kind == "school" and actor.rnd.random() < 0.3
            return lambda: people.complete_programme(actor.user, answers, wants_to_mentor=wants)

        await together(closing(a) for a in self.everyone_paired())
        self.at(moment(10, 8, 15))
        status = await console.completion_status(self.curator)
        log.say("На следующий день куратор смотрит /finish:")
        log.screen("Куратор видит", status.text)
        shortlist, awarded = await console.award_best_pair(self.curator, status)
        await self.drain()
        log.say("«🏆 Лучшая пара»: бот подсказывает по встречам и оценкам, решает куратор.")
        log.screen("Куратор видит", shortlist)
        log.screen("Куратор выбрал первую пару и видит", awarded.text)
        congrats = pattern("pairs-best-congrats")  # both variants: a pair or a group
        for actor in self.everyone_paired():
            got = next((m for m in actor.user.messages if congrats.search(m.text)), None)
            if got is not None:
                log.got(actor.name, got.text)
                break

    async def final_report(self) -> dict[str, Any]:
        from bot.services.reporting import reports

        log = self.log
        log.stage(
            "11. Итоговый отчёт (/report), выгрузка (/export) и документы (/documents) "
            "завершённой программы"
        )
        blocks, chart = await console.report(self.curator)
        for block in blocks:
            log.say(block)
        out = self.opts.output
        assert chart.photo is not None
        (out / "report.png").write_bytes(chart.photo.content)
        workbook = await console.export(self.curator)
        assert workbook.document is not None
        name = workbook.document.filename or "export.xlsx"
        (out / name).write_bytes(workbook.document.content)
        log.say("")
        log.say(f"Диаграмма из /report сохранена в report.png, файл из /export — в {name}.")
        papers = await console.documents(self.curator)
        for paper in papers:
            assert paper.document is not None
            (out / (paper.document.filename or "document.docx")).write_bytes(paper.document.content)
        log.say(
            "/documents: приказ о парах, реестр наставников, программы пар, итоговый отчёт "
            f"и реестр согласий в Word — {len(papers)} файлов .docx рядом."
        )
        await console.tick_items(self.curator, 6, {"rewards-system": None, "materials": None})
        await console.tick_items(self.curator, 7, {"closing-event": CLOSING_NOTE})
        screen = await console.checklist(self.curator)
        log.say(
            "В /checklist куратор отмечает систему поощрения наставников, переданные им "
            f"методические материалы и итоговое мероприятие («{CLOSING_NOTE}»); итоговый "
            "отчёт уже подвёл результаты:"
        )
        log.screen("Куратор видит", screen.text)
        async with self.app.db.read() as s:
            report = await reports.compute_report(s, self.programme_id, self.clock.now())
        figures = report_figures(report)
        (out / "report.json").write_text(
            json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        return figures

    async def coordinator_view(self) -> None:
        """The municipal coordinator: both schools, the three indicators against their
        targets with the chart, an organisation's numbers entered, «итоги года» frozen for
        all, and the yearly municipal report."""
        log = self.log
        log.stage("12. Муниципальный координатор: две школы и три показателя целевой модели")
        self.at(moment(10, 9, 10))
        rnd = random.Random(f"{self.opts.seed}:neighbour")
        in_max = self.opts.messenger == "max"  # everybody of the town is in MAX
        pairs = await seed_neighbour(self.app, rnd, self.clock.now(), in_max)
        log.say(
            f"В городе наставничество ведёт и вторая школа — {NEIGHBOUR}: своя программа "
            f"в том же боте, {sum(NEIGHBOUR_COUNTS)} участников с согласием, пар и групп — "
            f"{pairs} (для краткости её участники записаны в базу сразу, без переписки)."
        )
        user = self.emu.telegram if isinstance(self.emu, BothMessengers) else self.emu
        self.coordinator = user.create_user(
            "Наталья", last_name="Игоревна", id=COORDINATOR_TG, started=True
        )
        coordinator = self.coordinator
        texts, chart = await console.overview(coordinator)
        log.say(
            f"Координатор муниципалитета {COORDINATOR_NAME} набирает /report — сводка по всем "
            "организациям словами и диаграмма трёх показателей модели (цели из модели "
            "г. Братска: вовлечь 70% обучающихся 10–19 лет и 70% педагогов до 35 лет, "
            "обучить 30% наставников):"
        )
        for text in texts:
            log.screen("Координатор видит", text)
        out = self.opts.output
        assert chart.photo is not None
        (out / "municipal.png").write_bytes(chart.photo.content)
        saved = await console.enter_totals(coordinator, NEIGHBOUR, NEIGHBOUR_TOTALS)
        students, teachers = NEIGHBOUR_TOTALS.split()
        log.say(
            f"У второй школы численность не указана — координатор нажимает «✏️ Численность» "
            f"и пишет «{NEIGHBOUR_TOTALS}» ({students} обучающихся 10–19 лет, {teachers} "
            "педагогов до 35 лет):"
        )
        log.got(COORDINATOR_NAME, saved.text)
        texts, chart = await console.overview(coordinator)
        log.say("Сводка теперь считает показатели второй школы от этих чисел:")
        for text in texts:
            log.screen("Координатор видит", text)
        assert chart.photo is not None
        (out / "municipal.png").write_bytes(chart.photo.content)
        frozen = await console.freeze_all(coordinator)
        log.say(
            "«📌 Зафиксировать итоги года для всех»: с этого дня итоговый и муниципальный "
            "отчёты показывают зафиксированные цифры, что бы ни менялось потом."
        )
        log.got(COORDINATOR_NAME, frozen.text)
        paper = await console.municipal_document(coordinator)
        assert paper.document is not None
        name = paper.document.filename or "municipal.docx"
        (out / name).write_bytes(paper.document.content)
        log.say(
            f"/documents → «Муниципальный отчёт за год»: {name} — показатели организаций "
            "против целей, итог по муниципалитету и диаграмма. Диаграмма из /report "
            "координатора сохранена в municipal.png."
        )

    async def dashboard_screens(self) -> None:
        """The curator opens the web dashboard by the bot's one-time link; a picture of
        each page goes to the output folder (with Chromium and Playwright installed)."""
        from bot.dashboard.screens import save_screenshots

        log = self.log
        log.stage("9. Веб-панель куратора (/dashboard), пока пары работают")
        saved = await self._dashboard_pictures(self.curator, save_screenshots)
        if saved is None:
            return
        log.say("/dashboard присылает одноразовую ссылку; по ней куратор входит в браузере.")
        log.say(
            "На обзоре — воронка, семь этапов и та же диаграмма, что в /report "
            "(отклик и оценки по раундам, встречи пар)."
        )
        log.say("Снимки страниц: " + ", ".join(path.name for path in saved))

    async def coordinator_dashboard(self) -> None:
        """The coordinator (made one by COORDINATOR_IDS) signs in the same way: the page of
        all organisations, with the indicators' chart of /report."""
        from bot.dashboard.screens import ORGANISATIONS, save_screenshots

        async def organisations(base: str, link: str, out: Path) -> list[Path]:
            return await save_screenshots(base, link, out, ORGANISATIONS, phone=False)

        saved = await self._dashboard_pictures(self.coordinator, organisations)
        if saved is None:
            return
        self.log.say(
            "Координатор входит в веб-панель так же и видит все организации рядом: "
            "показатели против целей и их диаграмму, как в /report. Снимок: "
            + ", ".join(path.name for path in saved)
        )

    async def _dashboard_pictures(
        self, user: Any, pictures: Callable[[str, str, Path], Awaitable[list[Path]]]
    ) -> list[Path] | None:
        """The dashboard served while `user` signs in by a one-time link and `pictures`
        are taken; None (said in the log) without Chromium and Playwright."""
        from aiohttp import web

        from bot.dashboard.screens import browser_available

        if not browser_available():
            self.log.say("Снимки веб-панели пропущены: нужны chromium (apt) и playwright (pip).")
            return None
        settings = self.app.settings
        runner = web.AppRunner(self.app.dashboard_app(), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, settings.dashboard_host, settings.dashboard_port).start()
        try:
            link = await self._dashboard_link(user)
            return await pictures(settings.dashboard_base_url, link, self.opts.output)
        finally:
            await runner.cleanup()

    @staticmethod
    async def _dashboard_link(user: Any) -> str:
        await user.command("dashboard")
        message = await user.wait_for(regex=r"/dashboard/login/")
        found = re.search(r"https?://\S+/dashboard/login/[\w-]+", message.text)
        assert found is not None
        return found.group(0)

    async def finish(self) -> None:
        log = self.log
        log.stage("10. Куратор закрывает программу")
        done = await console.finish_programme(self.curator)
        await self.drain()
        log.say("/finish → «🏁 Завершить программу» → «Да, завершить».")
        log.screen("Куратор видит", done.text)
        self.show(self.hero_mentor, "pairs-thanks-mentor")
        if self.groups:
            self.show(self.groups[0][0], "pairs-mentor-of-year")


NEIGHBOUR_PEOPLE = (
    # (role, category, ages, trained): people of the second school who agreed to take part
    ("mentee", "school_student", range(11, 18), False),
    ("mentee", "school_student", range(12, 17), False),
    ("mentee", "young_teacher", range(23, 30), False),
    ("mentor", "student", range(16, 18), False),
    ("mentor", "teacher", range(27, 34), False),
    ("mentor", "teacher", range(38, 56), False),
    ("mentor", "teacher", range(38, 56), True),
)
NEIGHBOUR_COUNTS = (14, 6, 3, 2, 2, 2, 1)  # how many of each


async def seed_neighbour(app: Any, rnd: random.Random, when: datetime, in_max: bool) -> int:
    """The second school with its programme, its people with consent and its confirmed
    pairs, straight into the database; how many pairs and groups it has."""
    from bot.max.ids import user_to_core
    from storage.models import (
        Organisation,
        Pair,
        PairMember,
        Participant,
        ParticipantStatus,
        Person,
        Programme,
        RegistryStatus,
    )

    used: set[str] = set()
    async with app.db.session() as s:
        organisation = Organisation(name=NEIGHBOUR, address="665717, г. Братск, ул. Мира, 5")
        s.add(organisation)
        await s.flush()
        programme = Programme(
            organisation_id=organisation.id,
            name="Наставничество в школе № 5, 2026/27",
            timezone=TIMEZONE,
        )
        s.add(programme)
        await s.flush()
        mentees: list[Participant] = []
        mentors: list[Participant] = []
        tg = NEIGHBOUR_TG
        for (role, category, ages, trained), count in zip(
            NEIGHBOUR_PEOPLE, NEIGHBOUR_COUNTS, strict=True
        ):
            for _ in range(count):
                tg += 1
                name, _sex = make_name(
                    rnd, used, patronymic=role == "mentor" and category != "student"
                )
                person = Person(tg_id=user_to_core(tg) if in_max else tg, full_name=name)
                s.add(person)
                await s.flush()
                age = rnd.choice(list(ages))
                participant = Participant(
                    programme_id=programme.id,
                    person_id=person.id,
                    role=role,
                    status=ParticipantStatus.ACTIVE,
                    display_name=name,
                    age=age,
                    is_minor=age < 18,
                    category=category,
                    profile_complete=True,
                    registry_status=RegistryStatus.APPROVED if role == "mentor" else "candidate",
                    trained=trained,
                    capacity=3,
                    consent_completed_at=when,
                )
                s.add(participant)
                (mentors if role == "mentor" else mentees).append(participant)
        await s.flush()
        for index, mentor in enumerate(mentors):
            pair = Pair(
                programme_id=programme.id,
                mentor_id=mentor.id,
                status="confirmed",
                confirmed_at=when,
            )
            s.add(pair)
            await s.flush()
            for mentee in mentees[index * 2 : index * 2 + 2]:
                s.add(PairMember(pair_id=pair.id, mentee_id=mentee.id))
        return len(mentors)


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
    asyncio.run(run(opts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
