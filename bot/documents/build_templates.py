"""Write the shipped document templates (`bot/documents/templates/*.docx`) with python-docx.

`python -m bot.documents.build_templates [folder]` writes them again, e.g. after a change
of wording here. The style is the plain one of school paperwork (ГОСТ Р 7.0.97 margins,
Times New Roman): the organisation in the page header, the page number and the count of
pages in the footer, tables whose header row repeats on every page they run over to.
The Jinja tags (docxtpl) are typed as whole runs, so Word never splits them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FONT = "Times New Roman"
BLANK_DATE = "«____» ______________ 20____ г."
BLANK_NUMBER = "№ __________"


# ---------------------------------------------------------------- building blocks


def _new(*, landscape: bool = False, header: str = "{{ organisation }}") -> DocumentObject:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(4)
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = Cm(3 if not landscape else 2)
    section.right_margin = Cm(1.5)
    section.top_margin = Cm(2)
    section.bottom_margin = Cm(2)
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(header)
    run.font.size = Pt(9)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in ("Страница ", "PAGE", " из ", "NUMPAGES"):
        if part.isupper():
            _field(foot, part)
        else:
            foot.add_run(part).font.size = Pt(9)
    return doc


def _field(paragraph: Paragraph, code: str) -> None:
    """A field Word and LibreOffice fill in themselves (the page number, the page count):
    begin, the instruction, separate, the shown value, end — each in its own run."""
    for kind, text in (
        ("begin", None),
        (None, code),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        run.font.size = Pt(9)
        if kind is not None:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run.element.append(mark)
        elif text == code:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = f" {code} "
            run.element.append(instruction)
        else:
            run.text = text or ""


def _p(
    doc: DocumentObject,
    text: str = "",
    *,
    bold: bool = False,
    center: bool = False,
    right: bool = False,
    size: int | None = None,
    before: int = 0,
    indent: bool = False,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if before:
        paragraph.paragraph_format.space_before = Pt(before)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.25)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    return paragraph


def _title(doc: DocumentObject, *lines: str) -> None:
    for index, line in enumerate(lines):
        _p(doc, line, bold=True, center=True, size=14 if index == 0 else 12, before=6)


def _heading(doc: DocumentObject, text: str) -> None:
    _p(doc, text, bold=True, before=10)


def _tag(doc: DocumentObject, tag: str) -> None:
    """A paragraph holding only a `{%p … %}` tag: docxtpl removes it with its paragraph."""
    doc.add_paragraph().add_run(tag)


def _cell_text(cell: Any, text: str, *, bold: bool = False, size: int = 10) -> Run:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    return run


def _repeat_header(first_run: Run) -> None:
    """The header row (the one holding `first_run`) is printed again on each page the
    table runs over to; rows may break across pages (Word's default, kept)."""
    row = next(e for e in first_run.element.iterancestors() if e.tag == qn("w:tr"))
    props = row.find(qn("w:trPr"))
    if props is None:
        props = OxmlElement("w:trPr")
        row.insert(0, props)
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _loop_table(
    doc: DocumentObject,
    headers: list[str],
    cells: list[str],
    loop: str,
    widths: list[float],
) -> Table:
    """A table with a header row and one row repeated for each item of `loop`."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    heads = []
    for column, (title, value) in enumerate(zip(headers, cells, strict=True)):
        heads.append(_cell_text(table.rows[0].cells[column], title, bold=True))
        _cell_text(table.rows[2].cells[column], value)
    _cell_text(table.rows[1].cells[0], f"{{%tr for row in {loop} %}}")
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    for row in table.rows:
        for column, width in enumerate(widths):
            row.cells[column].width = Cm(width)
    _repeat_header(heads[0])
    return table


def _facts_table(
    doc: DocumentObject, rows: list[tuple[str, str]], widths: tuple[float, float]
) -> None:
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for index, (name, value) in enumerate(rows):
        _cell_text(table.rows[index].cells[0], name, bold=True, size=11)
        _cell_text(table.rows[index].cells[1], value, size=11)
        table.rows[index].cells[0].width = Cm(widths[0])
        table.rows[index].cells[1].width = Cm(widths[1])


def _signature(doc: DocumentObject, role: str, name: str) -> None:
    _p(doc, f"{role}  ____________________  {name}", before=14)


# ---------------------------------------------------------------- the documents


def order() -> DocumentObject:
    doc = _new()
    _p(doc, "{{ organisation }}", bold=True, center=True, size=13)
    _title(doc, "ПРИКАЗ")
    table = doc.add_table(rows=1, cols=2)
    _cell_text(table.rows[0].cells[0], BLANK_DATE, size=12)
    _cell_text(table.rows[0].cells[1], BLANK_NUMBER, size=12)
    table.rows[0].cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _p(doc, "Об утверждении наставнических пар (групп)", bold=True, before=12)
    _p(
        doc,
        "В соответствии с распоряжением Министерства просвещения Российской Федерации "
        "от 25.12.2019 № Р-145 «Об утверждении методологии (целевой модели) наставничества "
        "обучающихся», положением о наставничестве и по итогам формирования "
        "наставнических пар (групп) в программе наставничества «{{ programme }}»",
        indent=True,
        before=8,
    )
    _p(doc, "ПРИКАЗЫВАЮ:", bold=True, before=6)
    _p(
        doc,
        "1. Утвердить наставнические пары (группы) программы наставничества "
        "«{{ programme }}» согласно приложению к настоящему приказу "
        "(пар: {{ pairs_count }}, групп: {{ groups_count }}).",
        indent=True,
    )
    _p(
        doc,
        "2. Куратору программы наставничества {{ curator }} обеспечить организацию "
        "работы наставнических пар (групп), сопровождение и мониторинг их деятельности.",
        indent=True,
    )
    _p(doc, "3. Контроль за исполнением настоящего приказа оставляю за собой.", indent=True)
    _signature(doc, "Руководитель организации", "_______________________")
    _p(doc, "С приказом ознакомлен(а):", before=10)
    _signature(doc, "Куратор программы", "{{ curator }}")
    doc.add_page_break()
    _p(doc, "Приложение", right=True)
    _p(doc, f"к приказу от {BLANK_DATE} {BLANK_NUMBER}", right=True)
    _title(
        doc,
        "Список наставнических пар (групп)",
        "программы наставничества «{{ programme }}»",
    )
    _p(doc, "Составлено {{ date }}", center=True)
    _loop_table(
        doc,
        ["№", "Форма наставничества", "Наставник", "Наставляемые", "Дата начала"],
        [
            "{{ row.number }}",
            "{{ row.form }}",
            "{{ row.mentor }}",
            "{{ row.mentees }}",
            "{{ row.start }}",
        ],
        "pairs",
        [1.0, 3.8, 4.2, 5.0, 2.5],
    )
    return doc


def mentors() -> DocumentObject:
    doc = _new(landscape=True)
    _title(
        doc,
        "РЕЕСТР НАСТАВНИКОВ",
        "программы наставничества «{{ programme }}»",
    )
    _p(doc, "{{ organisation }}", center=True)
    _p(doc, "по состоянию на {{ date }}", center=True)
    _loop_table(
        doc,
        [
            "№",
            "ФИО наставника",
            "Категория",
            "Место работы (учёбы), должность, класс",
            "Компетенции",
            "Обучение",
            "Наставляемые",
        ],
        [
            "{{ row.number }}",
            "{{ row.name }}",
            "{{ row.category }}",
            "{{ row.workplace }}",
            "{{ row.competencies }}",
            "{{ row.trained }}",
            "{{ row.mentees }}",
        ],
        "mentors",
        [1.0, 4.5, 3.0, 5.5, 4.5, 2.5, 4.5],
    )
    _p(
        doc,
        "Наставников в реестре: {{ approved }}. Прошли обучение: {{ trained }}.",
        before=8,
    )
    _signature(doc, "Куратор программы", "{{ curator }}")
    return doc


def pair_programme() -> DocumentObject:
    """One programme per pair or group; several pairs follow each other, a page apart."""
    doc = _new()
    _tag(doc, "{%p for p in programmes %}")
    _p(doc, "УТВЕРЖДАЮ", right=True)
    _p(doc, "Куратор программы наставничества", right=True)
    _p(doc, "____________________ {{ curator }}", right=True)
    _p(doc, BLANK_DATE, right=True)
    _title(
        doc,
        "ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА",
        "{{ p.kind_title }} № {{ p.number }}",
        "программа наставничества «{{ programme }}»",
    )
    _p(doc, "Составлена {{ date }}", center=True)
    _facts_table(
        doc,
        [
            ("Форма наставничества", "{{ p.form }}"),
            ("Наставник", "{{ p.mentor }}"),
            ("{{ p.mentees_title }}", "{{ p.mentees }}"),
            ("Формат встреч", "{{ p.format }}"),
            ("Периодичность встреч", "{{ p.frequency }}"),
            ("Срок реализации", "{{ p.period }}"),
            ("Куратор", "{{ curator }}"),
        ],
        (5.0, 11.5),
    )
    _heading(doc, "1. Цели")
    _p(doc, "{{ p.goals }}", indent=True)
    _heading(doc, "2. Задачи и шаги")
    _p(doc, "{{ p.tasks }}", indent=True)
    _heading(doc, "3. График встреч")
    _p(
        doc,
        "Запланировано встреч: {{ p.planned_count }}. Проведено встреч: {{ p.held_count }}.",
        indent=True,
    )
    _tag(doc, "{%p if p.meetings %}")
    _loop_table(
        doc,
        ["№", "Дата и время", "Тема", "Формат", "Состояние"],
        [
            "{{ row.number }}",
            "{{ row.when }}",
            "{{ row.topic }}",
            "{{ row.format }}",
            "{{ row.state }}",
        ],
        "p.meetings",
        [1.0, 3.5, 6.0, 2.5, 3.5],
    )
    _tag(doc, "{%p endif %}")
    _heading(doc, "4. Результаты обратной связи")
    _p(doc, "{{ p.feedback_summary }}", indent=True)
    _tag(doc, "{%p if p.rounds %}")
    _loop_table(
        doc,
        ["Тур", "Ответов", "Польза (1–5)", "Комфорт (1–5)", "Прогресс (1–5)"],
        [
            "{{ row.number }}",
            "{{ row.answers }}",
            "{{ row.usefulness }}",
            "{{ row.comfort }}",
            "{{ row.progress }}",
        ],
        "p.rounds",
        [2.0, 2.5, 4.0, 4.0, 4.0],
    )
    _tag(doc, "{%p endif %}")
    _signature(doc, "Наставник", "{{ p.mentor }}")
    _signature(doc, "Куратор", "{{ curator }}")
    _p(doc, "С программой ознакомлен(ы):", before=10)
    _signature(doc, "{{ p.mentees_title }}", "{{ p.mentees }}")
    _tag(doc, "{%p if not loop.last %}")
    doc.add_page_break()
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    return doc


def final_report() -> DocumentObject:
    doc = _new()
    _title(
        doc,
        "ОТЧЁТ О РЕАЛИЗАЦИИ ПРОГРАММЫ НАСТАВНИЧЕСТВА",
        "«{{ programme }}» (итоговый)",
    )
    _p(doc, "{{ organisation }}", center=True)
    _p(doc, "{{ period }}", center=True)
    _p(doc, "Составлен {{ date }}", center=True)

    _heading(doc, "1. Этапы реализации программы")
    _loop_table(
        doc,
        ["№", "Этап", "Выполнено", "Состояние"],
        ["{{ row.number }}", "{{ row.title }}", "{{ row.done }}", "{{ row.state }}"],
        "stages",
        [1.0, 9.0, 2.5, 3.5],
    )
    _p(doc, "Мероприятия этапов:", before=8)
    _loop_table(
        doc,
        ["Этап", "Мероприятие", "Отметка", "Показатель"],
        ["{{ row.stage }}", "{{ row.title }}", "{{ row.done }}", "{{ row.figure }}"],
        "items",
        [1.5, 8.0, 2.5, 4.0],
    )

    _heading(doc, "2. Основные показатели")
    _loop_table(
        doc,
        ["Показатель", "Значение"],
        ["{{ row.name }}", "{{ row.value }}"],
        "figures",
        [9.5, 6.5],
    )
    _tag(doc, "{%p if chart %}")
    _p(doc, "Диаграмма: отклик на анкеты, средние оценки по турам, встречи пар", before=8)
    _p(doc, "{{ chart }}", center=True)
    _tag(doc, "{%p endif %}")

    _heading(doc, "3. Обратная связь участников")
    _p(doc, "{{ feedback_summary }}", indent=True)
    _tag(doc, "{%p if rounds %}")
    _loop_table(
        doc,
        ["Тур", "Отклик", "Польза (1–5)", "Комфорт (1–5)", "Прогресс (1–5)"],
        [
            "{{ row.number }}",
            "{{ row.response }}",
            "{{ row.usefulness }}",
            "{{ row.comfort }}",
            "{{ row.progress }}",
        ],
        "rounds",
        [1.5, 4.0, 3.5, 3.5, 3.5],
    )
    _tag(doc, "{%p endif %}")

    _heading(doc, "4. Итоговое анкетирование")
    _p(doc, "{{ final_summary }}", indent=True)
    _tag(doc, "{%p if final_scales %}")
    _loop_table(
        doc,
        ["Вопрос итоговой анкеты", "Ответов", "Средняя оценка (1–10)"],
        ["{{ row.question }}", "{{ row.answers }}", "{{ row.average }}"],
        "final_scales",
        [9.0, 2.5, 4.5],
    )
    _tag(doc, "{%p endif %}")
    _p(doc, "{{ wants_to_mentor }}", indent=True)

    _heading(doc, "5. Номинации")
    _p(doc, "«Лучшая пара»: {{ best_pair }}", indent=True)
    _p(doc, "«Наставник года»: {{ mentor_of_year }}", indent=True)

    _heading(doc, "6. Наставляемые без пары и оказанная поддержка")
    _p(doc, "{{ unmatched_summary }}", indent=True)
    _tag(doc, "{%p if unmatched %}")
    _loop_table(
        doc,
        ["№", "Наставляемый", "Причина", "Поддержка"],
        ["{{ row.number }}", "{{ row.name }}", "{{ row.reason }}", "{{ row.support }}"],
        "unmatched",
        [1.0, 5.0, 5.0, 5.0],
    )
    _tag(doc, "{%p endif %}")

    _heading(doc, "7. Обращения участников")
    _p(doc, "{{ cases_summary }}", indent=True)
    _signature(doc, "Куратор программы", "{{ curator }}")
    return doc


def municipal() -> DocumentObject:
    doc = _new(landscape=True, header="{{ authority }}")
    _title(
        doc,
        "ОТЧЁТ О РЕАЛИЗАЦИИ ЦЕЛЕВОЙ МОДЕЛИ НАСТАВНИЧЕСТВА",
        "в образовательных организациях за {{ year }} год",
    )
    _p(doc, "Составлен {{ date }}", center=True)
    _heading(doc, "1. Показатели по организациям")
    _p(
        doc,
        "Целевые значения: вовлечено в наставничество не менее {{ target_students }}% "
        "обучающихся и не менее {{ target_teachers }}% педагогов в возрасте до 35 лет; "
        "не менее {{ target_trained }}% наставников прошли обучение.",
        indent=True,
    )
    _loop_table(
        doc,
        [
            "№",
            "Организация",
            "Программы",
            "Обучающиеся (цель {{ target_students }}%)",
            "Педагоги до 35 лет (цель {{ target_teachers }}%)",
            "Наставники, прошедшие обучение (цель {{ target_trained }}%)",
            "Пары и группы",
        ],
        [
            "{{ row.number }}",
            "{{ row.organisation }}",
            "{{ row.programme }}",
            "{{ row.students }}",
            "{{ row.teachers }}",
            "{{ row.trained }}",
            "{{ row.pairs }}",
        ],
        "rows",
        [1.0, 5.0, 4.5, 4.0, 4.0, 4.0, 2.5],
    )
    _heading(doc, "2. Итого по муниципалитету")
    _loop_table(
        doc,
        ["Показатель", "Значение", "Цель", "Достигнута"],
        ["{{ row.name }}", "{{ row.value }}", "{{ row.target }}", "{{ row.reached }}"],
        "totals",
        [10.0, 6.0, 3.0, 3.5],
    )
    _p(doc, "{{ summary }}", indent=True, before=8)
    _tag(doc, "{%p if frozen %}")
    _p(doc, "{{ frozen }}.", indent=True)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if chart %}")
    _p(doc, "Диаграмма: показатели организаций, пунктир — целевое значение", before=8)
    _p(doc, "{{ chart }}", center=True)
    _tag(doc, "{%p endif %}")
    _signature(doc, "Муниципальный координатор", "{{ coordinator }}")
    return doc


def consents() -> DocumentObject:
    doc = _new(landscape=True)
    _title(
        doc,
        "РЕЕСТР СОГЛАСИЙ НА ОБРАБОТКУ ПЕРСОНАЛЬНЫХ ДАННЫХ",
        "участников программы наставничества «{{ programme }}»",
    )
    _p(doc, "{{ organisation }}", center=True)
    _p(doc, "по состоянию на {{ date }}", center=True)
    _loop_table(
        doc,
        [
            "№",
            "Участник",
            "Роль",
            "Кто дал согласие",
            "Решение",
            "Дата и время",
            "Версия текста согласия",
        ],
        [
            "{{ row.number }}",
            "{{ row.participant }}",
            "{{ row.role }}",
            "{{ row.given_by }}",
            "{{ row.decision }}",
            "{{ row.when }}",
            "{{ row.version }}",
        ],
        "consents",
        [1.0, 5.0, 2.8, 6.0, 3.0, 3.2, 3.0],
    )
    _p(doc, "{{ summary }}", before=8)
    _signature(doc, "Куратор программы", "{{ curator }}")
    return doc


TEMPLATES: dict[str, Callable[[], DocumentObject]] = {
    "order": order,
    "mentors": mentors,
    "pair_programme": pair_programme,
    "final_report": final_report,
    "municipal": municipal,
    "consents": consents,
}


def build(folder: Path = TEMPLATES_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in TEMPLATES.items():
        path = folder / f"{name}.docx"
        make().save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES_DIR
    for written_path in build(target):
        print(written_path)
