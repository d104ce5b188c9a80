"""The curator console through the emulator: a whole programme cycle, refusals, isolation."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.keyboards.curator import (
    CastCb,
    CheckCb,
    InvCb,
    MeetCb,
    PairCb,
    PrefCb,
    ProgCb,
    RegCb,
    WizCb,
)
from bot.playbook.curator import (
    announce_meeting,
    close_preferences,
    confirm_pairs,
    invitation_codes,
    open_preferences,
    record_attendance,
    run_matching,
)
from bot.playbook.participant import choose_people
from bot.texts import t
from storage.models import (
    AuditRecord,
    GroupMeeting,
    Organisation,
    OutboxMessage,
    Pair,
    Participant,
    Person,
    Preference,
    Programme,
    StaffMember,
)
from tests.support.factories import ANY_TIME, make_curator, make_participant, make_programme
from tests.support.settle import read_settled
from tests.support.snapshot import dump as _dump

CURATOR = 700_001
COORDINATOR = 700_002


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    # A script presses buttons far faster than a person; the per-chat limit is not the subject.
    return {"rate_limits": False}


@pytest.fixture
def bot_settings(emulator: Any, db_url: str) -> Any:
    """The bot on every configured backend (SQLite, and PostgreSQL when it is set up)."""
    from bot.config import Settings

    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=emulator.token,
        telegram_api_url=emulator.url,
        database_url=db_url,
        webhook_secret="emulator-secret",
        curator_ids=[CURATOR],
        coordinator_ids=[COORDINATOR],
        throttle_rate=1000,
    )


async def _press(user: Any, label: str | re.Pattern[str]) -> Any:
    answer = await user.press(label)
    return answer


async def test_a_programme_from_creation_to_confirmed_pairs(emulator: Any, bot_app: Any) -> None:
    curator = emulator.create_user("Мария", id=CURATOR, started=True)
    await curator.command("program")
    await curator.wait_for(t("curator-no-programme", "ru"))
    await curator.press(t("program-btn-new", "ru"))
    first = await curator.wait_for("Как называется программа")
    assert "Шаг 1 из 15" in first.text
    await curator.send("Наставничество 2026/27")
    # The organisation from settings has no name yet: the wizard asks for it, numbered on.
    named = await curator.wait_for("Полное название образовательной организации")
    assert "Шаг 2 из 15" in named.text and "Сейчас" not in named.text
    await curator.send("МБОУ «Лицей № 1» г. Братска")
    address = await curator.wait_for("Адрес организации")
    assert "Шаг 3 из 15" in address.text
    await curator.send("665700, г. Братск, ул. Школьная, 1")
    assert "Шаг 4 из 15" in (await curator.wait_for("Какие формы наставничества")).text
    await curator.press(re.compile("ученик – ученик"))
    await curator.press(re.compile("Далее"))
    await curator.wait_for("индивидуальное или групповое")
    await curator.press(re.compile("^Групповая"))
    await curator.wait_for("Какие задачи у программы")
    await curator.send("Адаптация пятиклассников; итог — каждый в паре, охват 70%")
    await curator.wait_for("В каком часовом поясе")
    await curator.press(re.compile("Иркутск"))
    await curator.wait_for("Когда программа начинается")
    await curator.send("31.02.2026")
    await curator.wait_for("Не получилось прочитать дату")
    await curator.send("01.09.2026")
    await curator.wait_for("Когда программа заканчивается")
    await curator.press(t("button-back", "ru"))
    await curator.wait_for("Когда программа начинается")
    await curator.press(t("program-btn-skip", "ru"))
    await curator.wait_for("Когда программа заканчивается")
    await curator.send("31.05.2027")
    await curator.wait_for("Как часто просить")
    await curator.press("14 дн.")
    await curator.press(t("program-quiet-none", "ru"))
    await curator.wait_for("оператор персональных данных")
    await curator.press("МБОУ «Лицей № 1» г. Братска")
    contacts = await curator.wait_for("Адрес и контакты оператора")
    assert t("program-btn-skip", "ru") not in contacts.button_texts  # required
    await curator.send("8 (3953) 00-00-00, school1@example.org")
    await curator.wait_for("Сколько в организации обучающихся 10–19 лет")
    await curator.send("640")
    await curator.wait_for("педагогов моложе 35")
    await curator.press(t("program-btn-skip", "ru"))
    await curator.wait_for("Проверьте, всё ли верно")
    await curator.press(re.compile("Сохранить программу"))
    await curator.wait_for("Программа создана")
    async with read_settled(bot_app) as s:
        programme = await s.scalar(select(Programme))
        assert programme is not None
        assert (programme.name, programme.timezone, programme.is_group) == (
            "Наставничество 2026/27",
            "Asia/Irkutsk",
            True,
        )
        assert programme.starts_on is None and programme.students_total == 640
        assert programme.goals == "Адаптация пятиклассников; итог — каждый в паре, охват 70%"
        assert programme.quiet_start == programme.quiet_end

    # the checklist at the start
    await curator.command("checklist")
    msg = await curator.wait_for("Чек-лист программы")
    assert "Текущий этап: 1" in msg.text

    # invitations: links and a printable QR code
    await curator.command("invite")
    msg = await curator.wait_for("Приглашения в программу")
    assert msg.text.count("https://t.me/") == 3
    await curator.press(re.compile("QR: наставляемые"))
    photo = await curator.wait_for(predicate=lambda m: m.caption is not None)
    assert "наставляемые" in photo.text

    # people, created directly
    async with bot_app.db.session() as s:
        programme = await s.get(Programme, programme.id)
        assert programme is not None
        mentors = [
            await make_participant(
                s, programme, "mentor", name=name, tg_id=tg, grade=11, capacity=2
            )
            for name, tg in (
                ("Анна Смирнова", 710_001),
                ("Борис Орлов", 710_002),
                ("Вера Ким", 710_003),
            )
        ]
        mentees = [
            await make_participant(s, programme, "mentee", name=name, tg_id=tg, grade=8)
            for name, tg in (("Дима Петров", 720_001), ("Егор Лис", 720_002), ("Женя Сом", 720_003))
        ]
        ids = {p.display_name: p.id for p in mentors + mentees}
    people = {
        tg: emulator.create_user(f"U{tg}", id=tg, started=True)
        for tg in (710_001, 710_002, 710_003, 720_001, 720_002, 720_003)
    }

    # approve two mentors and decline one
    await curator.command("mentors")
    await curator.wait_for("Наставники")
    for name in ("Анна Смирнова", "Борис Орлов"):
        await curator.press(re.compile(name))
        await curator.press(t("registry-btn-approve", "ru"))
        await curator.wait_for("включён в реестр")
        await curator.press(t("registry-btn-back-list", "ru"))
    await curator.press(re.compile("Вера Ким"))
    await curator.press(t("registry-btn-decline", "ru"))
    await curator.wait_for("Напишите причину")
    await curator.send("В этом году набор наставников-педагогов уже закрыт")
    await curator.wait_for("Отказ сохранён")
    declined = await people[710_003].wait_for("Причина", timeout=10)
    assert "набор наставников-педагогов" in declined.text
    # a note on a mentee, asked with his name in its case
    await curator.command("mentees")
    await curator.wait_for("Наставляемые")
    await curator.press(re.compile("Дима Петров"))
    await curator.press(t("registry-btn-note", "ru"))
    ask = await curator.wait_for("Напишите заметку")
    assert "о наставляемом Диме Петрове: как его поддерживаете" in ask.text
    await curator.send("Классный руководитель советует педагога-наставника")
    saved = await curator.wait_for("Заметка сохранена")
    assert "Заметка куратора: Классный руководитель советует" in saved.text
    await curator.command("mentors")
    await curator.wait_for("Наставники")
    await curator.press(t("registry-btn-back-list", "ru"))
    await curator.press(re.compile("Анна Смирнова"))
    await curator.press(t("registry-btn-trained", "ru"))
    await curator.wait_for("Отметка об обучении поставлена")

    await curator.command("checklist")
    await curator.wait_for("Чек-лист программы")
    await curator.press("4")
    msg = await curator.wait_for("Этап 4")
    assert "в реестре 2, ждут решения 0" in msg.text
    assert "1 из 2" in msg.text  # trained

    # the group meeting: next month, the 15th, 15:00
    await curator.command("meeting")
    await curator.wait_for("ещё не назначена")
    today = bot_app.clock.now().astimezone(ZoneInfo("Asia/Irkutsk")).date()
    day = (today.replace(day=1) + timedelta(days=32)).replace(day=15)
    sent = await announce_meeting(curator, day, time(15, 0), "Актовый зал, 2 этаж")
    assert "Приглашение разослано: 5" in sent.text
    invite = await people[720_001].wait_for("Приглашаем на общую встречу", timeout=10)
    assert "Актовый зал" in invite.text
    async with read_settled(bot_app) as s:
        meeting = await s.scalar(select(GroupMeeting))
        assert meeting is not None
        reminders = await s.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.idempotency_key.like(f"groupmeeting:{meeting.id}:%:remind"))
        )
        assert reminders == 5

    # attendance: all but Егор
    msg = await record_attendance(
        curator, {"Анна Смирнова", "Борис Орлов", "Дима Петров", "Женя Сом"}
    )
    assert "Пришли: 4 из 5" in msg.text

    # the preference round: the participants pick in the bot
    await curator.command("preferences")
    await curator.wait_for("Сбор ещё не открыт")
    opened = await open_preferences(curator)
    assert "анкету получили 4" in opened.text
    dima = people[720_001]
    await dima.wait_for("С кем из наставников", timeout=10)
    await dima.press(t("prefs-btn-start", "ru"))
    await dima.press("Борис Орлов")
    await dima.press("Анна Смирнова")
    await dima.press(t("prefs-btn-undo", "ru"))
    msg = await dima.wait_for("Ваш выбор")
    assert "Анна" not in msg.text.split("Ваш выбор")[1].split("Кого")[0]
    await dima.press(t("prefs-btn-done", "ru"))
    await dima.wait_for("ваш выбор сохранён")
    picker = await choose_people(people[710_002], ["Дима Петров"])
    assert "С кем из наставляемых" in picker.text
    assert not people[720_002].messages or all(
        "С кем из наставников" not in m.text for m in people[720_002].messages
    )  # Егор did not come
    await curator.press(t("prefs-btn-refresh", "ru"))
    msg = await curator.wait_for("Наставляемые ответили: 1 из 2")
    assert "Наставники ответили: 1 из 2" in msg.text
    progress, _closed = await close_preferences(curator)
    assert "Наставники ответили: 1 из 2" in progress
    async with read_settled(bot_app) as s:
        ranks = list(
            await s.execute(
                select(Preference.chooser_id, Preference.target_id, Preference.rank).order_by(
                    Preference.id
                )
            )
        )
        assert [tuple(r) for r in ranks] == [
            (ids["Дима Петров"], ids["Борис Орлов"], 1),
            (ids["Борис Орлов"], ids["Дима Петров"], 1),
        ]

    # pairs
    _ran, proposals = await run_matching(curator)
    assert "Борис Орлов → " in proposals[0]
    assert "взаимный первый выбор" in proposals[0]
    await confirm_pairs(curator)
    async with read_settled(bot_app) as s:
        statuses = set(await s.scalars(select(Pair.status)))
        assert statuses == {"confirmed"}
        boris_pair = await s.scalar(select(Pair).where(Pair.mentor_id == ids["Борис Орлов"]))
        assert boris_pair is not None
        actions = set(await s.scalars(select(AuditRecord.action)))
        assert {
            "programme_created",
            "mentor_approved",
            "mentor_declined",
            "group_meeting_announced",
            "preference_round_opened",
            "preference_round_closed",
            "matching_run",
            "pairs_confirmed",
        } <= actions

    await curator.command("checklist")
    await curator.wait_for("Чек-лист программы")
    await curator.press("5")
    msg = await curator.wait_for("Этап 5")
    assert re.search(r"✅ Общая встреча проведена", msg.text) is None  # it is next month
    assert "✅ Анкеты предпочтений собраны" in msg.text
    assert "подтверждено" in msg.text


async def test_nobody_but_staff_can_use_the_console(emulator: Any, bot_app: Any) -> None:
    async with bot_app.db.session() as s:
        programme = await make_programme(s)
        await make_curator(s, programme, tg_id=730_001)
        mentor = await make_participant(s, programme, "mentor", name="Наставник", tg_id=730_002)
        mentee = await make_participant(s, programme, "mentee", name="Ученик", tg_id=730_003)
        pair = Pair(programme_id=programme.id, mentor_id=mentor.id, status="proposed")
        s.add(pair)
        await s.flush()
        meeting = GroupMeeting(
            programme_id=programme.id,
            starts_at=bot_app.clock.now(),
            place="Зал",
        )
        s.add(meeting)
        await s.flush()
        pid, eid, pair_id, meeting_id = mentor.id, mentee.id, pair.id, meeting.id
        org_id = programme.organisation_id
        prog_id = programme.id
    forged = [
        *(
            ProgCb(action=a, id=prog_id, value="name").pack()
            for a in ("list", "choose", "card", "edit", "new")
        ),
        *(
            WizCb(action=a, value="1").pack()
            for a in ("pick", "toggle", "next", "back", "skip", "save", "neworg", "cancel")
        ),
        *(InvCb(action=a, kind="mentee", id=org_id).pack() for a in ("qr", "regen", "curator")),
        *(
            RegCb(action=a, role="mentor", pid=pid, val=3).pack()
            for a in (
                "list",
                "card",
                "approve",
                "decline",
                "trained",
                "untrained",
                "cap",
                "setcap",
                "remind",
                "paper",
                "search",
            )
        ),
        RegCb(action="paper", role="mentee", pid=eid).pack(),
        *(
            MeetCb(action=a, id=meeting_id, value=v).pack()
            for a, v in (
                ("new", ""),
                ("cal", "2030-01"),
                ("day", "2030-01-15"),
                ("time", "2030-01-15T1500"),
                ("send", ""),
                ("att", ""),
                ("tog", str(pid)),
                ("done", ""),
                ("show", ""),
            )
        ),
        *(PrefCb(action=a).pack() for a in ("show", "open", "close")),
        *(
            PairCb(action=a, id=pair_id, m=eid, to=pid).pack()
            for a in (
                "show",
                "run",
                "list",
                "card",
                "confirm",
                "all",
                "reject",
                "unpair",
                "move",
                "moveto",
                "moveok",
                "assign",
                "assignto",
                "assignok",
                "lonely",
            )
        ),
        *(CheckCb(action=a, stage=1, key="documents").pack() for a in ("show", "stage", "tick")),
        *(CastCb(action=a, value="all").pack() for a in ("aud", "send", "cancel")),
    ]
    commands = (
        "program",
        "invite",
        "mentors",
        "mentees",
        "meeting",
        "preferences",
        "pairs",
        "checklist",
        "broadcast",
    )
    users = [
        emulator.create_user("Наставник", id=730_002, started=True),
        emulator.create_user("Ученик", id=730_003, started=True),
        emulator.create_user("Гость", id=730_004, started=True),
    ]
    for user in users:
        await user.command("help")
        await user.wait_for("Что я умею")
        assert "Для куратора" not in user.last_message.text
    before = await _dump(bot_app)
    unknown = t("unknown-command", "ru")
    stale = t("button-stale", "ru")
    for user in users:
        for name in commands:
            await user.command(name)
            reply = await user.wait_for(unknown)
            assert reply.text == unknown
        await user.send("Причина отказа и прочий текст")
        await user.wait_for(t("unknown-text", "ru"))
        for data in forged:
            assert len(data.encode()) <= 64
            answer = await user.press_data(data)
            assert answer.alert == stale, data
    assert await _dump(bot_app) == before


async def test_a_curator_sees_and_changes_only_their_own_programme(
    emulator: Any, bot_app: Any
) -> None:
    async with bot_app.db.session() as s:
        ours = await make_programme(s, name="Наша программа", organisation="Школа № 1")
        await make_curator(s, ours, tg_id=740_001)
        theirs = await make_programme(s, name="Чужая программа", organisation="Школа № 2")
        await make_curator(s, theirs, tg_id=740_002)
        secret = await make_participant(s, theirs, "mentor", name="Секретный Наставник", grade=11)
        mentee = await make_participant(s, theirs, "mentee", name="Чужой Ученик", grade=8)
        pair = Pair(programme_id=theirs.id, mentor_id=secret.id, status="proposed")
        s.add(pair)
        await s.flush()
        ids = (theirs.id, secret.id, mentee.id, pair.id)
    their_id, secret_id, mentee_id, pair_id = ids
    curator = emulator.create_user("Куратор", id=740_001, started=True)
    await curator.command("mentors")
    msg = await curator.wait_for("Наставники")
    assert "Наша программа" in msg.text and "Секретный" not in msg.text
    await curator.command("program")
    await curator.wait_for("Наша программа")
    await curator.press(t("program-btn-list", "ru"))
    msg = await curator.wait_for("Ваши программы")
    assert "Чужая" not in " ".join(msg.button_texts)
    before = await _dump(bot_app)
    denied = t("curator-denied", "ru")
    for data in (
        ProgCb(action="choose", id=their_id).pack(),
        ProgCb(action="card", id=their_id).pack(),
        RegCb(action="card", role="mentor", pid=secret_id).pack(),
        RegCb(action="approve", role="mentor", pid=secret_id).pack(),
        RegCb(action="setcap", role="mentor", pid=secret_id, val=5).pack(),
        RegCb(action="remind", role="mentee", pid=mentee_id).pack(),
        PairCb(action="confirm", id=pair_id).pack(),
        PairCb(action="reject", id=pair_id).pack(),
        PairCb(action="card", id=pair_id).pack(),
    ):
        answer = await curator.press_data(data)
        assert answer.alert == denied, data
    assert await _dump(bot_app) == before
    async with read_settled(bot_app) as s:
        row = await s.get(Participant, secret_id)
        assert row is not None and row.registry_status == "candidate"


async def test_staff_links_broadcast_and_manual_ticks(emulator: Any, bot_app: Any) -> None:
    async with bot_app.db.session() as s:
        programme = await make_programme(
            s, name="Городская программа", organisation="Гимназия", **ANY_TIME
        )
        mentee = await make_participant(s, programme, "mentee", name="Оля", tg_id=750_010)
        await make_participant(s, programme, "mentor", name="Пётр", tg_id=750_011)
        org_id = programme.organisation_id
    olya = emulator.create_user("Оля", id=750_010, started=True)
    coordinator = emulator.create_user("Координатор", id=COORDINATOR, started=True)
    codes = await invitation_codes(coordinator)
    await coordinator.press(t("invite-btn-curator", "ru"))
    link = await coordinator.wait_for("Одноразовая ссылка для нового куратора")
    code = re.search(r"start=(\S+)", link.text)
    assert code is not None

    newcomer = emulator.create_user("Новый куратор", id=750_001, started=True)
    await newcomer.command("mentors")
    await newcomer.wait_for(t("unknown-command", "ru"))
    await newcomer.start(code.group(1))
    await newcomer.wait_for("Теперь вы куратор организации «Гимназия»")
    async with read_settled(bot_app) as s:
        staff = await s.scalar(
            select(func.count())
            .select_from(StaffMember)
            .join(Person, Person.id == StaffMember.person_id)
            .where(Person.tg_id == 750_001, StaffMember.organisation_id == org_id)
        )
        assert staff == 1
    late = emulator.create_user("Опоздавший", id=750_002, started=True)
    await late.start(code.group(1))
    await late.wait_for("уже назначен куратор")
    # a participant's code is not a staff code: the journey takes it
    pupil = emulator.create_user("Ученица", id=750_003, started=True)
    await pupil.start(codes["mentee"])
    reply = await pupil.next_message()
    assert "куратор организации" not in reply.text

    # the new curator ticks a manual item and sends an announcement to mentees
    await newcomer.command("checklist")
    await newcomer.wait_for("Чек-лист программы «Городская программа»")
    await newcomer.press("1")
    await newcomer.press(re.compile("Отметить: Нормативно"))
    msg = await newcomer.wait_for("✅ Нормативно-правовое оформление")
    assert re.search(r"Снять: Нормативно", " ".join(msg.button_texts))
    await newcomer.command("broadcast")
    await newcomer.wait_for("Кому отправить")
    await newcomer.press(re.compile("Наставляемым"))
    await newcomer.wait_for("Напишите текст")
    await newcomer.send("Завтра в 15:00 — <встреча> в актовом зале")
    await newcomer.wait_for("Так увидят сообщение")
    await newcomer.press(re.compile("Отправить"))
    await newcomer.wait_for("Отправляю: 1")
    got = await olya.wait_for("Сообщение куратора программы", timeout=10)
    assert "<встреча>" in got.text
    async with read_settled(bot_app) as s:
        actions = list(
            await s.scalars(
                select(AuditRecord.action).where(AuditRecord.programme_id == mentee.programme_id)
            )
        )
        assert "checklist_mark" in actions and "broadcast" in actions


async def test_no_invitations_before_the_organisation_is_named(emulator: Any, bot_app: Any) -> None:
    """A programme of an organisation nobody has named (as the one made for the curators
    of the settings): /invite gives no links and leads to the details; the curator fills
    them in from the programme's screen, and then the links come."""
    async with bot_app.db.session() as s:
        programme = await make_programme(
            s, organisation="", address=None, operator_name=None, operator_details=None
        )
        await make_curator(s, programme, tg_id=700_021)
    curator = emulator.create_user("Мария", id=700_021, started=True)
    await curator.command("invite")
    refused = await curator.wait_for("Прежде чем приглашать")
    assert "https://t.me/" not in refused.text
    for field in ("Организация", "Адрес организации", "Оператор", "Реквизиты"):
        assert field in refused.text

    await curator.press(t("program-btn-fill-details", "ru"))
    await curator.wait_for("Полное название образовательной организации")
    await curator.send("МБОУ «Средняя школа № 5» г. Братска")
    card = await curator.wait_for("Сохранено")
    assert "МБОУ «Средняя школа № 5» г. Братска" in card.text
    await curator.press(t("program-btn-fill-details", "ru"))
    await curator.wait_for("Адрес организации, например")
    await curator.send("665700, г. Братск, ул. Мира, 5")
    await curator.wait_for("Сохранено")
    await curator.press(t("program-btn-fill-details", "ru"))
    await curator.wait_for("Кто оператор персональных данных")
    await curator.press("МБОУ «Средняя школа № 5» г. Братска")
    await curator.wait_for("Сохранено")
    await curator.press(t("program-btn-fill-details", "ru"))
    await curator.wait_for("Адрес и контакты оператора")
    await curator.send("8 (3953) 55-55-55, school5@example.org")
    card = await curator.wait_for("Сохранено")
    assert t("program-btn-fill-details", "ru") not in card.button_texts

    await curator.command("invite")
    links = await curator.wait_for("Приглашения в программу")
    assert links.text.count("https://t.me/") == 3
    async with read_settled(bot_app) as s:
        org = await s.get(Organisation, programme.organisation_id)
        saved = await s.get(Programme, programme.id)
        assert org is not None and saved is not None
        assert (org.name, org.address) == (
            "МБОУ «Средняя школа № 5» г. Братска",
            "665700, г. Братск, ул. Мира, 5",
        )
        assert saved.operator_name == org.name
