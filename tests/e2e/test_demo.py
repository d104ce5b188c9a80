"""`python -m bot demo` with small numbers: the whole cycle went through the bot, and the
printed report matches the database it used."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bot.demo import main


def _count(db: Path, sql: str, *args: Any) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql, args).fetchone()[0])


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo") / "out"
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(
            ["--mentees", "8", "--mentors", "3", "--fast", "--seed", "7", "--output", str(out)]
        )
    assert code == 0
    return out, buffer.getvalue()


def test_report_figures_match_the_database(demo_run: tuple[Path, str]) -> None:
    out, printed = demo_run
    db = out / "demo.db"
    figures = json.loads((out / "report.json").read_text(encoding="utf-8"))
    pid = figures["programme_id"]

    mentees = _count(
        db, "SELECT count(*) FROM participants WHERE programme_id=? AND role='mentee'", pid
    )
    mentors = _count(
        db, "SELECT count(*) FROM participants WHERE programme_id=? AND role='mentor'", pid
    )
    assert (mentees, mentors) == (8, 3)
    by_role = {role: sum(v.values()) for role, v in figures["by_role_status"].items()}
    assert by_role.get("mentee") == mentees and by_role.get("mentor") == mentors

    # The report comes after /finish: the pairs that worked to the end are those it ended.
    pairs = _count(
        db,
        "SELECT count(*) FROM pairs p JOIN programmes g ON g.id = p.programme_id "
        "WHERE p.programme_id=? AND p.status='ended' AND p.ended_at = g.finished_at",
        pid,
    )
    assert pairs > 0 and figures["pairs_confirmed"] == pairs

    for role, (part, base) in figures["consent"].items():
        consented = _count(
            db,
            "SELECT count(DISTINCT c.participant_id) FROM consents c "
            "JOIN participants p ON p.id = c.participant_id "
            "WHERE p.programme_id=? AND p.role=? AND c.kind='self' AND c.decision='agreed'",
            pid,
            role,
        )
        assert part == consented, role
        assert base == (mentees if role == "mentee" else mentors)
        # The same figures are in the printed report.
        assert f"{part} из {base}" in printed

    # Minors came with a parent's consent.
    minors = _count(db, "SELECT count(*) FROM participants WHERE programme_id=? AND is_minor", pid)
    parents = _count(db, "SELECT count(*) FROM consents WHERE kind='parent' AND decision='agreed'")
    assert minors > 0 and parents == minors

    assert re.search(rf"Работали до конца программы пар и групп: {pairs} ", printed)
    assert "Встречи за всю программу" in printed
    # the final survey analysed, and «Наставник года» named and congratulated
    assert re.search(r"Наставляемые \(\d+\): Оправдались ожидания \(1–10\) — \d+,\d из 10", printed)
    assert re.search(r"Наставники \(\d+\): Оправдались ожидания", printed)
    assert "«Наставник года»: " in printed
    assert "выбрали вас «Наставником года»" in printed


def test_every_stage_went_through_the_bot(demo_run: tuple[Path, str]) -> None:
    out, printed = demo_run
    db = out / "demo.db"
    pid = json.loads((out / "report.json").read_text(encoding="utf-8"))["programme_id"]
    transcript = (out / "transcript.txt").read_text(encoding="utf-8")

    # The curator typed the console commands and got the bot's answers.
    curator_chat = transcript.split("--- Куратор ---")[1].split("--- end of transcript")[0]
    typed = set(re.findall(r"→ bot #\d+: (/\w+)", curator_chat))
    assert {
        "/program",
        "/invite",
        "/mentors",
        "/meeting",
        "/preferences",
        "/pairs",
        "/checklist",
        "/alerts",
        "/finish",
        "/report",
        "/export",
    } <= typed
    for answer in (
        "Программа создана",
        "Приглашение разослано",
        "Посещаемость сохранена",
        "Сбор закрыт",
        "Подбор готов",
        "Подтверждено пар и групп",
        "Идёт завершение",
    ):
        assert answer in printed, answer
    actions = {
        row[0]
        for row in sqlite3.connect(db).execute(
            "SELECT DISTINCT action FROM audit_log WHERE programme_id=?", (pid,)
        )
    }
    assert {
        "programme_created",
        "mentor_approved",
        "group_meeting_announced",
        "preference_round_opened",
        "preference_round_closed",
        "matching_run",
        "pairs_confirmed",
        "completion_start",
        "programme_finish",
    } <= actions

    # The preference round: picks ranked in the bot, the round closed before matching.
    picks = _count(
        db,
        "SELECT count(*) FROM preferences p JOIN preference_rounds r ON r.id = p.round_id "
        "WHERE r.programme_id=? AND r.closed_at IS NOT NULL",
        pid,
    )
    choosers = _count(
        db,
        "SELECT count(*) FROM form_sessions f JOIN participants p ON p.id = f.participant_id "
        "WHERE p.programme_id=? AND f.form='preferences' AND f.status='completed'",
        pid,
    )
    assert picks >= choosers > 0

    # Meetings recorded by mentors and confirmed by mentees.
    assert _count(
        db,
        "SELECT count(*) FROM meetings m JOIN pairs p ON p.id = m.pair_id "
        "WHERE p.programme_id=? AND m.status='confirmed'",
        pid,
    )

    # Two feedback rounds answered through the form, and the curator was alerted.
    rounds = _count(db, "SELECT count(*) FROM feedback_rounds WHERE programme_id=?", pid)
    answers = _count(
        db,
        "SELECT count(*) FROM feedback_answers a JOIN pairs p ON p.id = a.pair_id "
        "WHERE p.programme_id=?",
        pid,
    )
    assert rounds == 2 and answers > 0
    assert _count(db, "SELECT count(*) FROM alerts WHERE programme_id=?", pid) > 0
    assert "Сигнал по программе" in printed

    # Final surveys stored, and the report says how many.
    surveys = _count(
        db,
        "SELECT count(*) FROM form_sessions f JOIN participants p ON p.id = f.participant_id "
        "WHERE p.programme_id=? AND f.form='final_survey' AND f.status='completed'",
        pid,
    )
    assert surveys > 0
    # out of those /finish sent it to: the members of the pairs that worked to the end,
    # the same base the /finish screen shows
    asked = _count(
        db,
        "SELECT count(*) FROM (SELECT m.mentee_id FROM pair_members m JOIN pairs p "
        "ON p.id = m.pair_id WHERE p.programme_id=? AND p.status='ended' "
        "UNION SELECT p.mentor_id FROM pairs p WHERE p.programme_id=? AND p.status='ended')",
        pid,
        pid,
    )
    assert f"Итоговую анкету заполнили: {surveys} из {asked}, " in printed
    assert f"Итоговая анкета: {surveys} из {asked} (" in printed
    status = _count(db, "SELECT count(*) FROM programmes WHERE id=? AND status='finished'", pid)
    assert status == 1

    # «Лучшая пара»: one pair awarded through /finish, its members congratulated.
    best = _count(
        db, "SELECT count(*) FROM pairs WHERE programme_id=? AND best_pair_at IS NOT NULL", pid
    )
    assert best == 1
    assert "best_pair_award" in actions or _count(
        db, "SELECT count(*) FROM audit_log WHERE programme_id=? AND action='best_pair_award'", pid
    )
    assert "Лучшей парой" in printed or "Лучшей группой" in printed


def test_output_files(demo_run: tuple[Path, str]) -> None:
    out, printed = demo_run
    transcript = (out / "transcript.txt").read_text(encoding="utf-8")
    assert "Куратор" in transcript and "Отчёт по программе" in transcript
    xlsx = list(out.glob("*.xlsx"))
    assert len(xlsx) == 1
    book = openpyxl.load_workbook(xlsx[0], read_only=True)
    assert len(book.sheetnames) > 1
    pngs = list(out.glob("*.png"))
    assert pngs and pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Отчёт по программе" in printed


def test_parents_know_whom_they_consented_to(demo_run: tuple[Path, str]) -> None:
    """The school is named everywhere, each parent said who they are, and heard about the
    child's mentor."""
    out, _printed = demo_run
    db = out / "demo.db"
    transcript = (out / "transcript.txt").read_text(encoding="utf-8")
    assert "Моя образовательная организация" not in transcript
    assert "Лицей № 1» г. Братска" in transcript
    unnamed = _count(
        db,
        "SELECT count(*) FROM consents WHERE kind='parent' "
        "AND (parent_name IS NULL OR parent_relation NOT IN ('mother', 'father'))",
    )
    assert unnamed == 0
    parents = _count(db, "SELECT count(*) FROM consents WHERE kind='parent'")
    assert parents > 0 and "появился наставник в программе" in transcript


def _chats(transcript: str) -> dict[str, str]:
    """Each participant's full chat from the transcript, by display name."""
    full = transcript.split("=== Полная переписка ===")[1]
    found = re.findall(
        r"\n--- (.+?) \((?:наставник|наставляемый)\) ---\n(.*?)--- end of", full, re.S
    )
    return dict(found)


def test_contacts_stay_inside_the_policy(demo_run: tuple[Path, str]) -> None:
    """docs/contacts.md: a mentee sees the mentor's contact only if the mentor shared it, a
    mentor an adult mentee's only if shared, nobody a child's, no mentee another's."""
    out, _ = demo_run
    db = out / "demo.db"
    chats = _chats((out / "transcript.txt").read_text(encoding="utf-8"))
    with sqlite3.connect(db) as conn:
        people = {
            pid: (name, role, bool(minor))
            for pid, name, role, minor in conn.execute(
                "SELECT id, display_name, role, is_minor FROM participants"
            )
        }
        answers: dict[tuple[int, str], Any] = {
            (pid, q): json.loads(v) if isinstance(v, str) else v
            for pid, q, v in conn.execute(
                "SELECT f.participant_id, a.question_id, a.value FROM form_answers a "
                "JOIN form_sessions f ON f.id = a.session_id WHERE f.status = 'completed'"
            )
        }
        mentor_of = {
            mentee: mentor
            for mentee, mentor in conn.execute(
                "SELECT m.mentee_id, p.mentor_id FROM pair_members m "
                "JOIN pairs p ON p.id = m.pair_id WHERE p.status IN ('confirmed', 'ended')"
            )
        }
        relayed = conn.execute("SELECT count(*) FROM relayed_messages").fetchone()[0]
    assert relayed >= 2  # the hero wrote to the mentor through the bot, and got an answer

    def contact(pid: int) -> str | None:
        return answers.get((pid, "contacts")) or answers.get((pid, "contact"))

    def shares(pid: int) -> bool:
        return "yes" in (answers.get((pid, "share_contacts")), answers.get((pid, "share_contact")))

    assert any(contact(pid) for pid in people)
    checked = 0
    for viewer, (name, _, viewer_minor) in people.items():
        chat = chats.get(name or "")
        if chat is None:
            continue
        for owner, (_, owner_role, owner_minor) in people.items():
            value = contact(owner)
            if owner == viewer or not value or value not in chat:
                continue
            if owner_role == "mentor":
                assert mentor_of.get(viewer) == owner and shares(owner), (name, value)
            else:
                assert mentor_of.get(owner) == viewer and shares(owner), (name, value)
                assert not (owner_minor and not viewer_minor), (name, value)
            checked += 1
    assert checked > 0  # some contacts were shared as chosen


def test_a_call_for_help_is_answered_and_closed_by_the_curator(
    demo_run: tuple[Path, str],
) -> None:
    out, _printed = demo_run
    transcript = (out / "transcript.txt").read_text(encoding="utf-8")
    # The mentee's own words reach the curator, the curator's answer reaches the mentee.
    assert "Никак не получается встретиться" in transcript
    assert "Ответ куратора — Ольга Викторовна" in transcript
    assert "в течение двух рабочих дней" in transcript
    db = out / "demo.db"
    closed = _count(db, "SELECT count(*) FROM cases WHERE kind='help' AND status='closed'")
    still_open = _count(db, "SELECT count(*) FROM cases WHERE status='open'")
    assert closed >= 1 and still_open == 0


def test_the_documents_are_in_the_output_and_match_the_database(
    demo_run: tuple[Path, str],
) -> None:
    from tests.support.documents_check import assert_no_tags, read_docx

    out, _printed = demo_run
    db = out / "demo.db"
    pid = json.loads((out / "report.json").read_text(encoding="utf-8"))["programme_id"]
    papers = {
        path.name.split("-")[0] + "-" + path.name.split("-")[1]: path for path in out.glob("*.docx")
    }
    assert sorted(papers) == [
        "itogovyj-otchet",
        "municipalnyj-otchet",
        "prikaz-pary",
        "programmy-par",
        "reestr-nastavnikov",
        "reestr-soglasij",
    ]
    read = {name: read_docx(path.read_bytes()) for name, path in papers.items()}
    for document in read.values():
        assert_no_tags(document)
    # the pairs that worked to the end of the programme (confirmed, then ended by /finish)
    pairs = _count(
        db, "SELECT count(*) FROM pairs WHERE programme_id=? AND confirmed_at IS NOT NULL", pid
    )
    assert len(read["prikaz-pary"].table_with("Наставник")) == pairs
    titles = [p for p in read["programmy-par"].paragraphs if p.startswith(("Пара № ", "Группа № "))]
    assert len(titles) == pairs
    mentors = _count(
        db,
        "SELECT count(*) FROM participants WHERE role='mentor' AND status='active' "
        "AND registry_status='approved' AND programme_id=?",
        pid,
    )
    assert len(read["reestr-nastavnikov"].table_with("ФИО наставника")) == mentors
    consents = _count(
        db,
        "SELECT count(*) FROM consents JOIN participants ON participants.id = "
        "consents.participant_id WHERE participants.status != 'withdrawn' "
        "AND participants.programme_id=?",
        pid,
    )
    assert len(read["reestr-soglasij"].table_with("Кто дал согласие")) == consents
    assert read["itogovyj-otchet"].images == 1
    final = {row[0]: row[1] for row in read["itogovyj-otchet"].table_with("Значение")}
    meetings = _count(
        db,
        "SELECT count(*) FROM meetings m JOIN pairs p ON p.id = m.pair_id "
        "WHERE p.programme_id=? AND m.status IN ('held', 'confirmed')",
        pid,
    )
    assert final["Встреч за всю программу"] == str(meetings) and meetings > 0

    # The coordinator's yearly report: both schools, each with its pairs and indicators.
    municipal = read["municipalnyj-otchet"]
    rows = {row[1]: row for row in municipal.table_with("Организация")}
    with sqlite3.connect(db) as conn:
        organisations = dict(conn.execute("SELECT id, name FROM organisations"))
    assert set(rows) == set(organisations.values()) and len(rows) == 2
    for org_id, name in organisations.items():
        org_pairs = _count(
            db,
            "SELECT count(*) FROM pairs p JOIN programmes g ON g.id = p.programme_id "
            "WHERE g.organisation_id=? AND p.confirmed_at IS NOT NULL",
            org_id,
        )
        mentors = _count(
            db,
            "SELECT count(*) FROM participants p JOIN programmes g ON g.id = p.programme_id "
            "WHERE g.organisation_id=? AND p.role='mentor' AND p.status='active'",
            org_id,
        )
        trained = _count(
            db,
            "SELECT count(*) FROM participants p JOIN programmes g ON g.id = p.programme_id "
            "WHERE g.organisation_id=? AND p.role='mentor' AND p.status='active' AND p.trained",
            org_id,
        )
        assert rows[name][6] == str(org_pairs) and org_pairs > 0
        assert rows[name][5].startswith(f"{trained} из {mentors}, ")
    # the second school: its students aged 10–19 (mentees at school, student mentors)
    # against the 30 the coordinator typed
    neighbour = next(n for n in organisations.values() if "№ 5" in n)
    students = _count(
        db,
        "SELECT count(*) FROM participants p JOIN programmes g ON g.id = p.programme_id "
        "JOIN organisations o ON o.id = g.organisation_id WHERE o.name=? AND p.status='active' "
        "AND p.category IN ('school_student', 'student') AND p.age BETWEEN 10 AND 19",
        neighbour,
    )
    assert rows[neighbour][3].startswith(f"{students} из 30, ")
    assert municipal.images == 1 and "цель 70%" in municipal.text.lower()
    assert (out / "municipal.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_checklist_ends_with_every_stage_done(demo_run: tuple[Path, str]) -> None:
    """Every pair has its plan, every mentee left without a pair a note of the support
    given, the curator's own ticks are there: the finished programme's checklist is done."""
    out, printed = demo_run
    db = out / "demo.db"
    pid = json.loads((out / "report.json").read_text(encoding="utf-8"))["programme_id"]
    pairs = _count(db, "SELECT count(*) FROM pairs WHERE programme_id=? AND status='ended'", pid)
    plans = _count(
        db,
        "SELECT count(DISTINCT f.context) FROM form_sessions f JOIN participants p "
        "ON p.id = f.participant_id WHERE p.programme_id=? AND f.form='pair_plan' "
        "AND f.status='completed'",
        pid,
    )
    assert plans == pairs > 0
    without_support = _count(
        db,
        "SELECT count(*) FROM participants p WHERE p.programme_id=? AND p.role='mentee' "
        "AND p.status='active' AND p.curator_note IS NULL AND p.id NOT IN (SELECT m.mentee_id "
        "FROM pair_members m JOIN pairs r ON r.id = m.pair_id WHERE r.status='ended')",
        pid,
    )
    assert without_support == 0
    notes = _count(
        db,
        "SELECT count(*) FROM checklist_marks WHERE programme_id=? AND note LIKE 'приказ № 12%'",
        pid,
    )
    assert notes == 1
    # after matching, stages 1–4 are behind (the curator ticked what was done outside)
    assert re.search(r"Текущий этап: [56]\.", printed)
    # the final checklist: stages 1–6 done; stage 7 too when 70% of those asked answered
    # the final survey (a small demo may fall short of it)
    last = printed.split("итоговый отчёт уже подвёл результаты:")[1].split("===")[0]
    for stage in range(1, 7):
        assert re.search(rf"✅ {stage}\. ", last), stage
    asked = _count(
        db,
        "SELECT count(*) FROM (SELECT m.mentee_id AS id FROM pair_members m JOIN pairs p "
        "ON p.id = m.pair_id WHERE p.programme_id=? AND p.status='ended' "
        "UNION SELECT mentor_id FROM pairs WHERE programme_id=? AND status='ended')",
        pid,
        pid,
    )
    answered = _count(
        db,
        "SELECT count(DISTINCT participant_id) FROM form_sessions WHERE form='final_survey' "
        "AND status='completed' AND participant_id IN (SELECT id FROM participants "
        "WHERE programme_id=?)",
        pid,
    )
    if answered * 10 >= asked * 7:
        assert "Все семь этапов пройдены ✅" in last
    else:
        assert "Текущий этап: 7." in last


def test_the_coordinator_sees_both_schools_and_the_three_indicators(
    demo_run: tuple[Path, str],
) -> None:
    _out, printed = demo_run
    coordinator = printed.split("Муниципальный координатор")[1]
    for line in (
        "Сводка по всем организациям",
        "Лицей № 1» г. Братска",
        "Средняя общеобразовательная школа № 5» г. Братска",
        "обучающиеся 10–19 лет вовлечены в наставничество: ",
        "педагоги до 35 лет вовлечены в наставничество: ",
        "наставники прошли обучение: ",
        "Итого по муниципалитету",
        "Итоги года зафиксированы для программ: 2",
    ):
        assert line in coordinator, line
    assert "цель 30%" in coordinator and "цель 70%" in coordinator


# --- what people read: no bracket endings, no codes, groups called groups ---------------

_EVENT = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} ", re.MULTILINE)
_CHAT = re.compile(r"^--- transcript of \w+ chat (-?\d+) .*$", re.MULTILINE)
# Words the code uses for things, never meant for people.
_CODES = re.compile(r"\b(weekly|biweekly|goals_reached|mentor_approved|[a-z]+_[a-z_]+)\b")
_BRACES = re.compile(r"\{[^{}\n]{0,60}\}")
_NOT_TEXT = re.compile(r"https?://\S+|\S+@\S+\.\w+|[@/]\w+")
# A group's mentor or mentee told about «the» mentee or «the» pair.
_SINGULAR = (
    "Ваш наставляемый:",
    "Ваша наставляемая:",
    "о наставляемом",
    "стала «Лучшей парой»",
    "У вас появилась пара!",
    "поддержать вашу пару",
)


def _bot_messages(transcript: str) -> dict[int, list[str]]:
    """Every text the bot sent or edited in, with its button labels, by chat id."""
    chats: dict[int, list[str]] = {}
    starts = list(_CHAT.finditer(transcript))
    for n, start in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(transcript)
        body = transcript[start.end() : end]
        marks = list(_EVENT.finditer(body))
        texts = chats.setdefault(int(start.group(1)), [])
        for i, mark in enumerate(marks):
            event = body[mark.end() : marks[i + 1].start() if i + 1 < len(marks) else None]
            head = re.match(r"bot (→|edited) #\d+: ", event)
            if head is None:
                continue
            text, _, buttons = event[head.end() :].partition(" {buttons: ")
            text = text.split(" {keyboard: ")[0]
            labels = re.findall(r"(?:^|\[| \| )([^\[\]|]+?)→", buttons)
            texts.append("\n".join([text.strip(), *labels]))
    return chats


def _group_chats(db: Path) -> set[int]:
    """Private chats (Telegram ids) of the mentors and mentees of groups."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT pe.tg_id FROM pairs p JOIN participants pa ON pa.id = p.mentor_id "
            "JOIN persons pe ON pe.id = pa.person_id "
            "WHERE (SELECT count(*) FROM pair_members m WHERE m.pair_id = p.id) > 1 "
            "UNION SELECT pe.tg_id FROM pair_members m JOIN participants pa ON pa.id = m.mentee_id "
            "JOIN persons pe ON pe.id = pa.person_id "
            "WHERE (SELECT count(*) FROM pair_members o WHERE o.pair_id = m.pair_id) > 1"
        ).fetchall()
    return {int(tg) for (tg,) in rows if tg is not None}


def test_every_message_reads_as_russian_for_people(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    chats = _bot_messages((out / "transcript.txt").read_text(encoding="utf-8"))
    groups = _group_chats(out / "demo.db")
    assert sum(map(len, chats.values())) > 300 and groups  # the demo had groups to check
    found: list[str] = []
    for chat, texts in chats.items():
        for text in texts:
            readable = _NOT_TEXT.sub("", text)
            for bad in ("(а)", "(на)", "(ла)", "Europe/", "Asia/", "Версия текста"):
                if bad in text:
                    found.append(f"{chat}: {bad!r} in {text[:120]!r}")
            for code in _CODES.findall(readable) + _BRACES.findall(readable):
                found.append(f"{chat}: code {code!r} in {text[:120]!r}")
            if chat in groups:
                found += [f"{chat}: {s!r} to a group" for s in _SINGULAR if s in text]
    assert not found, "\n".join(found[:30])


def test_a_group_mentee_is_told_who_the_mentor_is(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    chats = _bot_messages((out / "transcript.txt").read_text(encoding="utf-8"))
    groups = _group_chats(out / "demo.db")
    intros = [
        text
        for chat in groups
        for text in chats.get(chat, [])
        if text.startswith("🤝 У вас появился наставник!")
    ]
    assert intros
    for text in intros:
        assert "Ваш наставник:" in text and "Вместе с вами в группе:" in text


def test_the_question_counter_never_grows_between_questions(demo_run: tuple[Path, str]) -> None:
    """«Вопрос 3 из 10» is never followed by «Вопрос 4 из 11»: the total only shrinks."""
    out, _ = demo_run
    chats = _bot_messages((out / "transcript.txt").read_text(encoding="utf-8"))
    steps = 0
    for chat, texts in chats.items():
        previous: tuple[int, int] | None = None
        for text in texts:
            found = re.search(r"Вопрос (\d+) из (\d+)", text)
            if found is None:
                continue
            number, total = int(found[1]), int(found[2])
            if previous is not None and number == previous[0] + 1:
                steps += 1
                assert total <= previous[1], (chat, previous, (number, total))
            previous = (number, total)
    assert steps > 50
