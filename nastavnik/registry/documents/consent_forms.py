"""Printable consent forms (152-ФЗ) pre-filled for a class or a program: one sheet per person in
one file, DOCX or PDF, built from one description of the text so that both say the same.

Processing (ст. 9) has three variants chosen by the consent rule's age groups: signed by the
legal representative of a child under 14, by a student of 14–17 together with the
representative, or by an adult. The consent to dissemination (ст. 10.1) is a separate document,
as the law requires.

Names stand in the nominative in labelled fields («Несовершеннолетний (ФИО): …»), which reads
right without declension.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string

from nastavnik.base.documents import (
    Margins,
    add_paragraph,
    add_table,
    centered,
    docx_bytes,
    new_docx,
    pdf_from_html,
)
from nastavnik.orgs.models import Organisation

from ..consents import PURPOSES, age_group
from ..models import Person, PersonKind

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

FORM_MARGINS = Margins(left=2.5, right=1.5, top=1.5, bottom=1.5)
BLANK = "_______________________________"
SIGNATURE = "«___» ____________ 20___ г.      ______________ / ________________________"
LAW = "Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных»"

DATA_PROCESSED = (
    "фамилия, имя, отчество; дата рождения",
    "класс (группа) — для обучающихся; должность и педагогический стаж — для работников",
    "контактные данные: номер телефона, адрес электронной почты",
    "сведения об участии в программе наставничества: роль, запросы и компетенции, наставническая "
    "пара или группа, индивидуальный план, встречи и мероприятия, явка на них",
    "ответы на анкеты, результаты входной и итоговой диагностики, отзывы об участии",
    "принадлежность к категориям, которые учитывают целевые показатели наставничества (в том "
    "числе наличие ограниченных возможностей здоровья, трудная жизненная ситуация)",
)
MINOR_DATA = "сведения о законных представителях: фамилия, имя, отчество, степень родства, контактные данные"
ACTIONS = (
    "сбор, запись, систематизация, накопление, хранение, уточнение (обновление, изменение), "
    "извлечение, использование, передача (предоставление, доступ) органам управления образованием "
    "муниципалитета и региона для мониторинга программы, обезличивание, блокирование, удаление, "
    "уничтожение; обработка с использованием средств автоматизации и без них"
)
DISSEMINATED = (
    "фамилия, имя, отчество",
    "класс (группа) или должность",
    "фотографии и видеозаписи с мероприятий программы наставничества",
    "сведения об участии в программе наставничества и её результатах (достижения, награды)",
)


@dataclass(frozen=True)
class Block:
    """One piece of a sheet: "title", "subtitle", "field" (label: value), "para", "list",
    "table" (rows of cells, the first is the header) or "sign" (a signature line with a caption)."""

    kind: str
    text: str = ""
    value: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass
class Sheet:
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str = "", **kwargs: object) -> None:
        self.blocks.append(Block(kind, text, **kwargs))  # type: ignore[arg-type]


def _operator(organisation: Organisation) -> str:
    return f"{organisation.name}, адрес: {organisation.address or BLANK}"


def _class_of(person: Person) -> str:
    if person.kind == PersonKind.COLLEGE_STUDENT:
        return person.study_group
    return person.school_class


def _guardian_name(person: Person) -> str:
    links = list(person.guardian_links.all())
    return links[0].guardian.full_name if links else BLANK


def _identity(sheet: Sheet, role: str, name: str, *, authority: bool = False) -> None:
    sheet.add("field", f"{role} (ФИО)", value=name)
    sheet.add("field", "Документ, удостоверяющий личность", value=f"серия ______ № __________, выдан {BLANK}")
    sheet.add("field", "Адрес регистрации", value=BLANK)
    if authority:
        sheet.add(
            "field",
            "Документ, подтверждающий полномочия законного представителя",
            value=f"{BLANK} (для родителей — свидетельство о рождении)",
        )


def _subject(sheet: Sheet, role: str, person: Person) -> None:
    sheet.add("field", f"{role} (ФИО)", value=person.full_name)
    sheet.add("field", "Дата рождения", value=f"{person.birth_date:%d.%m.%Y}" if person.birth_date else BLANK)
    if _class_of(person):
        sheet.add("field", "Класс (группа)", value=_class_of(person))


def _processing_terms(sheet: Sheet, organisation: Organisation, *, minor: bool) -> None:
    days = settings.PERSONAL_DATA_RETENTION_DAYS
    sheet.add("field", "Оператор персональных данных", value=_operator(organisation))
    sheet.add("para", "Цели обработки — участие в программе наставничества оператора:")
    sheet.add("list", items=tuple(PURPOSES.values()))
    sheet.add("para", "Перечень персональных данных, на обработку которых даётся согласие:")
    sheet.add("list", items=(*DATA_PROCESSED, *((MINOR_DATA,) if minor else ())))
    sheet.add("para", f"Перечень действий с персональными данными: {ACTIONS}.")
    sheet.add(
        "para",
        "Срок действия: согласие действует со дня подписания до окончания участия в программе "
        "наставничества или до его отзыва. После отзыва согласия или выбытия из организации "
        f"персональные данные обезличиваются или уничтожаются в течение {days} дней.",
    )
    sheet.add(
        "para",
        "Порядок отзыва: согласие может быть отозвано в любой момент письменным заявлением, поданным "
        f"оператору лично или направленным по адресу: {organisation.address or BLANK}. Отзыв не влияет на "
        "законность обработки, выполненной до его получения.",
    )
    sheet.add(
        "para",
        "Распространение персональных данных (опубликование, размещение на сайте) этим согласием не "
        "разрешается: на него оформляется отдельное согласие (статья 10.1 152-ФЗ).",
    )


def processing_sheet(organisation: Organisation, person: Person, on_date: dt.date) -> Sheet:
    """The consent to processing in the variant the person's age needs."""
    group = age_group(person, on_date)
    sheet = Sheet()
    if group == "child":
        sheet.add("title", "СОГЛАСИЕ")
        sheet.add("subtitle", "законного представителя на обработку персональных данных несовершеннолетнего")
        _identity(sheet, "Законный представитель", _guardian_name(person), authority=True)
        _subject(sheet, "Несовершеннолетний", person)
        who = "Действуя свободно, своей волей и в интересах несовершеннолетнего, указанного выше,"
    elif group == "teen":
        sheet.add("title", "СОГЛАСИЕ")
        sheet.add("subtitle", "обучающегося в возрасте от 14 до 18 лет на обработку персональных данных")
        _subject(sheet, "Обучающийся", person)
        sheet.add(
            "field", "Документ, удостоверяющий личность", value=f"серия ______ № __________, выдан {BLANK}"
        )
        _identity(sheet, "Законный представитель", _guardian_name(person), authority=True)
        who = "Действуя свободно, своей волей и в своём интересе, с согласия законного представителя,"
    else:
        sheet.add("title", "СОГЛАСИЕ")
        sheet.add("subtitle", "на обработку персональных данных")
        _identity(sheet, "Субъект персональных данных", person.full_name)
        sheet.add(
            "field", "Дата рождения", value=f"{person.birth_date:%d.%m.%Y}" if person.birth_date else BLANK
        )
        who = "Действуя свободно, своей волей и в своём интересе,"
    sheet.add(
        "para",
        f"{who} в соответствии со статьёй 9 {LAW} даю согласие оператору на обработку персональных "
        "данных на следующих условиях.",
    )
    _processing_terms(sheet, organisation, minor=group != "adult")
    _signatures(sheet, group)
    return sheet


def _signatures(sheet: Sheet, group: str) -> None:
    if group == "teen":
        sheet.add("sign", "Обучающийся", value=SIGNATURE)
        sheet.add("sign", "Согласен(на), законный представитель", value=SIGNATURE)
    elif group == "child":
        sheet.add("sign", "Законный представитель", value=SIGNATURE)
    else:
        sheet.add("sign", "Субъект персональных данных", value=SIGNATURE)


def dissemination_sheet(organisation: Organisation, person: Person, on_date: dt.date) -> Sheet:
    """The consent to dissemination (ст. 10.1): what may be published, where, with which bans."""
    group = age_group(person, on_date)
    sheet = Sheet()
    sheet.add("title", "СОГЛАСИЕ")
    sheet.add(
        "subtitle",
        "на обработку персональных данных, разрешённых субъектом персональных данных для распространения",
    )
    if group == "adult":
        _identity(sheet, "Субъект персональных данных", person.full_name)
    else:
        _identity(sheet, "Законный представитель", _guardian_name(person), authority=True)
        _subject(sheet, "Несовершеннолетний", person)
    sheet.add("field", "Контактные данные (телефон, e-mail)", value=BLANK)
    sheet.add("field", "Оператор персональных данных", value=_operator(organisation))
    sheet.add(
        "field",
        "Информационные ресурсы оператора",
        value=f"официальный сайт {BLANK}, официальные группы в социальных сетях {BLANK}",
    )
    sheet.add(
        "para",
        f"В соответствии со статьёй 10.1 {LAW} даю согласие на распространение (опубликование на "
        "информационных ресурсах оператора) персональных данных в целях информирования о реализации "
        "программы наставничества. Категории персональных данных, разрешённых к распространению "
        "(отметьте «да» или «нет»):",
    )
    header = ("Персональные данные", "Разрешаю", "Условия и запреты")
    sheet.add("table", rows=(header, *((item, "да / нет", "") for item in DISSEMINATED)))
    sheet.add(
        "para",
        "Запрещаю передачу этих данных неограниченному кругу лиц, кроме опубликования на указанных "
        f"ресурсах оператора: да / нет. Иные условия: {BLANK}.",
    )
    sheet.add(
        "para",
        "Срок действия: до окончания участия в программе наставничества. Действие согласия "
        "прекращается с момента поступления оператору требования о прекращении распространения "
        "(часть 12 статьи 10.1 152-ФЗ), содержащего фамилию, имя, отчество, контактные данные и "
        f"перечень персональных данных, распространение которых нужно прекратить; адрес: {organisation.address or BLANK}.",
    )
    sheet.add(
        "sign",
        "Субъект персональных данных" if group == "adult" else "Законный представитель",
        value=SIGNATURE,
    )
    return sheet


def consent_sheets(
    organisation: Organisation, people: Iterable[Person], on_date: dt.date, *, dissemination: bool = False
) -> list[Sheet]:
    build = dissemination_sheet if dissemination else processing_sheet
    return [build(organisation, person, on_date) for person in people]


def _docx_block(document: DocxDocument, block: Block) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if block.kind == "title":
        centered(document, block.text, bold=True, size=14)
    elif block.kind == "subtitle":
        centered(document, block.text, bold=True)
    elif block.kind == "field":
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{block.text}: ").bold = True
        paragraph.add_run(block.value)
    elif block.kind == "list":
        for item in block.items:
            add_paragraph(document, f"— {item};")
    elif block.kind == "table":
        add_table(document, block.rows[0], block.rows[1:], widths_cm=(8.5, 2.5, 6))
    elif block.kind == "sign":
        add_paragraph(document, "")
        add_paragraph(document, f"{block.text}: {block.value}")
    else:
        add_paragraph(document, block.text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def consent_forms_docx(
    organisation: Organisation, people: Iterable[Person], on_date: dt.date, *, dissemination: bool = False
) -> bytes:
    """One sheet per person, each starting on a new page."""
    from docx.enum.text import WD_BREAK

    document = new_docx(FORM_MARGINS)
    for number, sheet in enumerate(
        consent_sheets(organisation, people, on_date, dissemination=dissemination)
    ):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for block in sheet.blocks:
            _docx_block(document, block)
    return docx_bytes(document)


def consent_forms_html(
    organisation: Organisation, people: Iterable[Person], on_date: dt.date, *, dissemination: bool = False
) -> str:
    sheets = consent_sheets(organisation, people, on_date, dissemination=dissemination)
    return render_to_string(
        "registry/consent_forms_print.html", {"sheets": sheets, "organisation": organisation}
    )


def consent_forms_pdf(
    organisation: Organisation, people: Iterable[Person], on_date: dt.date, *, dissemination: bool = False
) -> bytes:
    return pdf_from_html(consent_forms_html(organisation, people, on_date, dissemination=dissemination))
