"""The built-in templates of the documents: .docx files with docxtpl (Jinja) tags, built here with
python-docx so that the wording lives in reviewable code. An organisation downloads one as the start
of its own wording; the tags are the fields of `context.FIELDS`.

The Положение follows the structure school положения take from the methodology (Р-145, АЗ-1128/08):
общие положения; цели и задачи; организационные основы; права и обязанности наставника и
наставляемого; формирование пар и групп; завершение; мониторинг и оценка; мотивация; документы."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from nastavnik.base.documents import ORDER_MARGINS, add_paragraph, add_table, centered, docx_bytes, new_docx

from .models import DocumentKind

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

SIGNATURE = "{{ org.head_position }} ____________________ {{ org.head_name }}"


def _justified(document: DocxDocument, text: str, *, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    add_paragraph(document, text, bold=bold, align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def _right(document: DocxDocument, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    add_paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _list(document: DocxDocument, items: str, line: str) -> None:
    """A paragraph per item of a list field (`{%p for %}` paragraphs are removed by docxtpl)."""
    add_paragraph(document, f"{{%p for item in {items} %}}")
    _justified(document, line)
    add_paragraph(document, "{%p endfor %}")


def _approval(document: DocxDocument) -> None:
    _right(document, "УТВЕРЖДЕНО")
    _right(document, "приказом {{ org.short_name }}")
    _right(document, "от {{ doc.date }} № {{ doc.number }}")
    _right(document, SIGNATURE)


def _order_head(document: DocxDocument, title: str) -> None:
    centered(document, "{{ org.full_name }}", bold=True)
    centered(document, "ПРИКАЗ", bold=True, size=14)
    centered(document, "от {{ doc.date }}    № {{ doc.number }}")
    centered(document, title, bold=True)


def _regulation(document: DocxDocument) -> None:
    _approval(document)
    centered(document, "ПОЛОЖЕНИЕ", bold=True, size=14)
    centered(document, "о программе наставничества в {{ org.short_name }}", bold=True)
    _justified(document, "1. Общие положения", bold=True)
    _justified(
        document,
        "1.1. Настоящее Положение о программе наставничества в {{ org.short_name }} ({{ org.full_name }}; "
        "далее — Положение, организация) разработано в соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об "
        "образовании в Российской Федерации», распоряжением Минпросвещения России от 25.12.2019 № Р-145 "
        "«Об утверждении методологии (целевой модели) наставничества обучающихся», письмом Минпросвещения "
        "России от 21.12.2021 № АЗ-1128/08 и Концепцией развития наставничества в Российской Федерации до "
        "2030 года (распоряжение Правительства Российской Федерации от 21.05.2025 № 1264-р).",
    )
    _justified(
        document,
        "1.2. Положение определяет цели, задачи, формы и порядок организации наставничества, права и "
        "обязанности его участников, порядок мониторинга и оценки результатов программы.",
    )
    _justified(
        document,
        "1.3. Участники системы наставничества: куратор, наставник, наставляемый, законные представители "
        "наставляемых, руководитель организации, организации-партнёры.",
    )
    _justified(document, "2. Цели и задачи наставничества", bold=True)
    _justified(document, "2.1. Цель: {{ program.goals }}")
    _justified(document, "2.2. Задачи наставничества:")
    _list(document, "program.tasks", "— {{ item }};")
    _justified(document, "3. Организационные основы наставничества", bold=True)
    _justified(
        document,
        "3.1. Наставничество организуется на основании приказа руководителя организации о внедрении "
        "целевой модели наставничества; руководство программой осуществляет куратор, назначаемый приказом "
        "руководителя (куратор программы — {{ program.curator }}).",
    )
    _justified(
        document,
        "3.2. В {{ program.academic_year }} учебном году организация реализует {{ program.named_genitive }} "
        "в формах наставничества:",
    )
    _list(
        document,
        "program.forms",
        "— {{ item.name }} (наставник — {{ item.mentor }}, наставляемый — {{ item.mentee }});",
    )
    _justified(
        document,
        "3.3. Наставник одновременно ведёт не более {{ program.max_mentees }} наставляемых. Участие в "
        "наставничестве добровольно; наставник назначается с его письменного согласия.",
    )
    _justified(document, "3.4. Целевые группы наставляемых:")
    _list(document, "program.target_groups", "— {{ item }};")
    _regulation_rights_and_monitoring(document)


def _regulation_rights_and_monitoring(document: DocxDocument) -> None:
    """Sections 4–10 of the Положение: the participants' rights and duties, pairs, monitoring."""
    _justified(document, "4. Права и обязанности наставника", bold=True)
    _justified(
        document,
        "4.1. Наставник обязан: разработать совместно с наставляемым индивидуальный план и выполнять его; "
        "регулярно встречаться с наставляемым; оказывать ему помощь в достижении целей плана; соблюдать "
        "конфиденциальность сведений о наставляемом; участвовать в мониторинге программы.",
    )
    _justified(
        document,
        "4.2. Наставник вправе: участвовать в обсуждении вопросов наставничества; вносить предложения о "
        "совершенствовании программы; проходить обучение; обращаться к куратору за методической помощью.",
    )
    _justified(document, "5. Права и обязанности наставляемого", bold=True)
    _justified(
        document,
        "5.1. Наставляемый обязан: выполнять этапы индивидуального плана; посещать встречи с наставником; "
        "сообщать наставнику о трудностях. 5.2. Наставляемый вправе: выбирать наставника из предложенных "
        "кандидатур; обращаться к куратору; участвовать в оценке работы наставника.",
    )
    _justified(document, "6. Формирование наставнических пар и групп", bold=True)
    _justified(
        document,
        "6.1. Пары и группы формируются куратором после общей встречи наставников и наставляемых с учётом "
        "анкет предпочтений и взаимного выбора и закрепляются приказом руководителя. 6.2. На каждую пару "
        "(группу) составляется индивидуальный план (персонализированная программа наставничества) сроком "
        "от трёх месяцев до одного года, утверждаемый куратором.",
    )
    _justified(document, "7. Завершение наставничества", bold=True)
    _justified(
        document,
        "7.1. Наставничество завершается по окончании срока индивидуального плана, по его выполнении или "
        "досрочно по инициативе участников с согласия куратора. 7.2. Итоги работы пар оформляются отчётом "
        "наставника и обсуждаются на итоговой встрече.",
    )
    _justified(document, "8. Мониторинг и оценка результатов", bold=True)
    _justified(
        document,
        "8.1. Мониторинг проводится в два этапа: оценка качества процесса реализации программы (анкеты "
        "удовлетворённости) и оценка мотивационно-личностного и профессионального роста участников. "
        "8.2. Ожидаемые результаты программы:",
    )
    _list(document, "program.expected_results", "— {{ item }};")
    _justified(document, "8.3. Показатели программы и их целевые значения:")
    _list(document, "program.indicators", "— {{ item.name }}: {{ item.target }};")
    _justified(document, "9. Мотивация наставников", bold=True)
    _justified(
        document,
        "9.1. Наставники поощряются благодарностями, участием в конкурсах «Лучший наставник», публикацией "
        "лучших практик на странице «Наставничество» сайта организации и иными мерами, принятыми в "
        "организации.",
    )
    _justified(document, "10. Документы, регламентирующие наставничество", bold=True)
    _justified(
        document,
        "10.1. Настоящее Положение; приказ о внедрении целевой модели наставничества и назначении куратора; "
        "программа наставничества; дорожная карта внедрения целевой модели; приказ о закреплении "
        "наставнических пар (групп); индивидуальные планы.",
    )


def _model_order(document: DocxDocument) -> None:
    _order_head(document, "О внедрении целевой модели наставничества и назначении куратора")
    _justified(
        document,
        "В соответствии с распоряжением Минпросвещения России от 25.12.2019 № Р-145 «Об утверждении "
        "методологии (целевой модели) наставничества обучающихся» и в целях реализации "
        "{{ program.named_genitive }} в {{ program.academic_year }} учебном году",
    )
    add_paragraph(document, "ПРИКАЗЫВАЮ:", bold=True)
    _justified(document, "1. Внедрить целевую модель наставничества в {{ org.short_name }}.")
    _justified(document, "2. Утвердить Положение о программе наставничества (приложение 1).")
    _justified(document, "3. Утвердить {{ program.named_accusative }} (приложение 2).")
    _justified(
        document,
        "4. Назначить куратором внедрения целевой модели наставничества {{ program.curator_accusative }}, "
        "возложив на "
        "него (неё) формирование баз наставников и наставляемых, организацию обучения наставников, "
        "формирование пар и групп, мониторинг и подготовку отчётности.",
    )
    _justified(document, "5. Контроль за исполнением настоящего приказа оставляю за собой.")
    document.add_paragraph()
    add_paragraph(document, SIGNATURE)
    add_paragraph(document, "С приказом ознакомлен(а): ____________________ {{ program.curator }}")


def _roadmap_order(document: DocxDocument) -> None:
    _order_head(document, "Об утверждении дорожной карты внедрения целевой модели наставничества")
    _justified(
        document,
        "В целях реализации {{ program.named_genitive }} в {{ program.academic_year }} учебном году",
    )
    add_paragraph(document, "ПРИКАЗЫВАЮ:", bold=True)
    _justified(
        document,
        "1. Утвердить дорожную карту «{{ roadmap.title }}» на период {{ roadmap.period }} (приложение).",
    )
    _justified(
        document,
        "2. Куратору программы {{ program.curator_dative }} обеспечить выполнение мероприятий дорожной карты в "
        "установленные сроки.",
    )
    _justified(document, "3. Контроль за исполнением настоящего приказа оставляю за собой.")
    document.add_paragraph()
    add_paragraph(document, SIGNATURE)
    add_paragraph(document, "Приложение к приказу от {{ doc.date }} № {{ doc.number }}", bold=True)
    table = add_table(document, ["№", "Мероприятие", "Срок"], widths_cm=[1.5, 11.5, 4])
    for cells in (
        ["{%tr for event in roadmap.events %}", "", ""],
        ["{{ event.number }}", "{{ event.title }}", "{{ event.deadline }}"],
        ["{%tr endfor %}", "", ""],
    ):
        for cell, text in zip(table.add_row().cells, cells, strict=True):
            cell.text = text


def _program(document: DocxDocument) -> None:
    _approval(document)
    centered(document, "ПРОГРАММА НАСТАВНИЧЕСТВА", bold=True, size=14)
    centered(document, "«{{ program.title }}»", bold=True)
    centered(document, "{{ org.full_name }}, {{ program.academic_year }} учебный год")
    _justified(document, "1. Пояснительная записка", bold=True)
    _justified(
        document,
        "Программа ({{ program.kind }}) реализуется в {{ org.short_name }} с {{ program.starts_on }} по "
        "{{ program.ends_on }} в соответствии с Положением о программе наставничества. Куратор программы — "
        "{{ program.curator }}.",
    )
    _justified(document, "2. Цель программы", bold=True)
    _justified(document, "{{ program.goals }}")
    _justified(document, "3. Задачи программы", bold=True)
    _list(document, "program.tasks", "— {{ item }};")
    _justified(document, "4. Целевые группы", bold=True)
    _list(document, "program.target_groups", "— {{ item }};")
    _justified(document, "5. Формы наставничества и роли участников", bold=True)
    _list(
        document,
        "program.forms",
        "— {{ item.name }}: наставник — {{ item.mentor }}, наставляемый — {{ item.mentee }};",
    )
    _justified(
        document,
        "Роли: руководитель организации утверждает документы программы; куратор формирует базы наставников "
        "и наставляемых, пары и группы, ведёт мониторинг; наставник составляет с наставляемым "
        "индивидуальный план и ведёт встречи; наставляемый выполняет план; законные представители "
        "несовершеннолетних дают согласие на участие.",
    )
    _justified(document, "6. Этапы реализации", bold=True)
    for stage in (
        "1) подготовка условий: Положение, программа, приказы, дорожная карта;",
        "2) формирование базы наставляемых: карта запросов, входная диагностика;",
        "3) формирование базы наставников;",
        "4) отбор и обучение наставников;",
        "5) формирование наставнических пар и групп;",
        "6) организация работы пар и групп по индивидуальным планам;",
        "7) завершение: подведение итогов, презентация лучших практик, поощрение наставников.",
    ):
        _justified(document, stage)
    _justified(document, "7. Ожидаемые результаты", bold=True)
    _list(document, "program.expected_results", "— {{ item }};")
    _justified(document, "8. Показатели эффективности", bold=True)
    table = add_table(document, ["Показатель", "Целевое значение"], widths_cm=[12, 5])
    for cells in (
        ["{%tr for item in program.indicators %}", ""],
        ["{{ item.name }}", "{{ item.target }}"],
        ["{%tr endfor %}", ""],
    ):
        for cell, text in zip(table.add_row().cells, cells, strict=True):
            cell.text = text


def _plan(document: DocxDocument) -> None:
    centered(document, "{{ org.full_name }}", bold=True)
    centered(document, "ИНДИВИДУАЛЬНЫЙ ПЛАН", bold=True, size=14)
    centered(document, "(персонализированная программа наставничества)", bold=True)
    centered(document, "«{{ plan.title }}», редакция {{ plan.revision }}")
    _justified(document, "Форма наставничества: {{ plan.form }}")
    _justified(document, "Наставник: {{ plan.mentor }}")
    _justified(document, "Наставляемый(е): {{ plan.mentees }}")
    _justified(document, "Срок реализации: {{ plan.period }}")
    add_paragraph(document, "{%p for goal in plan.goals %}")
    _justified(document, "Цель {{ goal.number }}. {{ goal.title }}", bold=True)
    table = add_table(document, ["№", "Задача", "Срок", "Ожидаемый результат"], widths_cm=[1, 8, 3, 5])
    for cells in (
        ["{%tr for task in goal.tasks %}", "", "", ""],
        ["{{ task.number }}", "{{ task.title }}", "{{ task.due }}", "{{ task.result }}"],
        ["{%tr endfor %}", "", "", ""],
    ):
        for cell, text in zip(table.add_row().cells, cells, strict=True):
            cell.text = text
    add_paragraph(document, "{%p endfor %}")
    document.add_paragraph()
    add_paragraph(document, "Наставник ____________________ {{ plan.mentor }}")
    add_paragraph(document, "Наставляемый(е) ____________________ {{ plan.mentees }}")
    add_paragraph(document, "{%p if plan.representatives %}")
    add_paragraph(document, "Законный представитель ____________________ {{ plan.representatives }}")
    add_paragraph(document, "{%p endif %}")
    add_paragraph(document, "Куратор программы ____________________ {{ plan.curator }}")
    add_paragraph(document, "«___» ____________ 20__ г.")


_BUILDERS: dict[str, Callable[[DocxDocument], None]] = {
    DocumentKind.REGULATION: _regulation,
    DocumentKind.MODEL_ORDER: _model_order,
    DocumentKind.ROADMAP_ORDER: _roadmap_order,
    DocumentKind.PROGRAM: _program,
    DocumentKind.PLAN: _plan,
}


@cache
def builtin_template(kind: str) -> bytes:
    """The built-in .docx template of a document kind (built once per process)."""
    document = new_docx(ORDER_MARGINS)
    _BUILDERS[kind](document)
    return docx_bytes(document)
