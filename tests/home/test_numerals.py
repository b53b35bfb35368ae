"""Numbers agree with their nouns on the main pages: with 1, 2, 5, 11 and 21 pairs, plans,
teachers and overdue events, every «<number> <noun>» on the page takes the right form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from nastavnik.accounts.models import Role, RoleAssignment
from nastavnik.base.text import count_ru, plural_form
from nastavnik.base.time import today_in
from nastavnik.mentoring.services import groups as services
from nastavnik.mentoring.services import plans
from nastavnik.roadmaps import services as roadmap_services
from nastavnik.roadmaps.importing import read_roadmap
from tests.builders import builtin_form, mentee, mentor, student_program, teacher
from tests.factories import UserFactory

# The nouns the product counts: one, few, many — and the forms that are never right after a number.
NOUNS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("пара", "пары", "пар"): (),
    ("группа", "группы", "групп"): (),
    ("участник", "участника", "участников"): ("участники",),
    ("обучающийся", "обучающихся", "обучающихся"): ("обучающиеся",),
    ("несовершеннолетний", "несовершеннолетних", "несовершеннолетних"): ("несовершеннолетние",),
    ("педагог", "педагога", "педагогов"): ("педагоги",),
    ("наставник", "наставника", "наставников"): ("наставники",),
    ("наставляемый", "наставляемых", "наставляемых"): ("наставляемые",),
    ("мероприятие", "мероприятия", "мероприятий"): (),
    ("показатель", "показателя", "показателей"): ("показатели",),
    ("план", "плана", "планов"): ("планы",),
    ("задача", "задачи", "задач"): (),
    ("согласие", "согласия", "согласий"): (),
    ("организация", "организации", "организаций"): (),
    ("год", "года", "лет"): ("годы",),
    ("день", "дня", "дней"): ("дни",),
    ("строка", "строки", "строк"): (),
    ("значение", "значения", "значений"): (),
    ("анкета", "анкеты", "анкет"): (),
    ("встреча", "встречи", "встреч"): (),
    ("представитель", "представителя", "представителей"): ("представители",),
}
FORMS = {form: forms for forms, wrong in NOUNS.items() for form in (*forms, *wrong)}
ADJECTIVE = r"[а-яё]+(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ых|их)"
# A number standing alone (not in a date, a time, a fraction or «3 / 5»), perhaps adjectives, a noun.
COUNTED = re.compile(
    rf"(?<![\d.,:/–-])(?P<before>\b[а-яё]+\s+|[/№]\s*)?(?P<n>\d+)\s+(?P<adjs>(?:{ADJECTIVE}\s+){{0,2}})(?P<noun>[а-яё]+)\b",
    re.IGNORECASE,
)
# After these the noun takes the genitive («из 21 мероприятия», «у 5 мероприятий»): not checked here.
GOVERNING = {
    "из",
    "у",
    "от",
    "до",
    "для",
    "без",
    "около",
    "после",
    "более",
    "менее",
    "свыше",
    "на",
    "в",
    "с",
    "по",
}


def page_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(
        r"</t[dh]>|</li>|</tr>|<br\s*/?>|</option>|</h\d>|</p>", " ¦ ", html
    )  # cells never run together
    text = re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace("\xa0", " ")
    return re.sub(r"\s+", " ", text)


def disagreements(text: str) -> list[str]:
    problems = []
    for match in COUNTED.finditer(text):
        noun = match["noun"].lower()
        before = (match["before"] or "").strip().lower()
        if noun not in FORMS or before in GOVERNING or before.startswith(("/", "№")):
            continue
        n = int(match["n"])
        expected = plural_form(n, *FORMS[noun])
        adjectives = match["adjs"].split()
        singular_adjective_needed = expected == FORMS[noun][0]
        if noun != expected or (
            singular_adjective_needed
            and any(a.lower().endswith(("ые", "ие", "ых", "их")) for a in adjectives)
        ):
            problems.append(f"{match.group(0).strip()!r} (нужно: {n} {expected})")
    return problems


def test_the_checker_finds_what_the_issue_saw():
    text = "42 педагогов · 7 просроченные мероприятия · 9 пары и группы · 1 индивидуальные планы ждут · 4 показателей"
    assert len(disagreements(text)) == 5
    good = "42 педагога · 7 просроченных мероприятий · 9 пар и групп · 1 индивидуальный план ждёт · из 21 мероприятия"
    assert disagreements(good) == []


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "1\xa0пара"),
        (2, "2\xa0пары"),
        (5, "5\xa0пар"),
        (11, "11\xa0пар"),
        (21, "21\xa0пара"),
        (0, "0\xa0пар"),
    ],
)
def test_count_ru_joins_the_number_and_the_agreeing_noun(number, text):
    assert count_ru(number, "пара,пары,пар") == text


# --- a school with N of everything ---------------------------------------------------------------


def roadmap_with_overdue_events(curator, school, n: int) -> None:
    """A roadmap of this academic year whose `n` events were due in September."""
    year = today_in().year if today_in().month >= 9 else today_in().year - 1
    lines = [f"Дорожная карта на {year}-{year + 1} учебный год", "", "№\tМероприятие\tСрок\tОтветственный"]
    lines += [f"{i}.\tМероприятие номер {i}\tДо {min(i, 28):02d}.09.{year}\tКуратор" for i in range(1, n + 1)]
    draft = read_roadmap("\n".join(lines).encode(), "карта.txt")
    roadmap_services.roadmap_import(acting_user=curator, draft=draft, organisation=school)


def school_with(n: int, school, curator):
    """`n` teachers, `n` pairs without meetings for months (each with a plan sent for approval),
    `n` overdue roadmap events; returns the first mentor's user account."""
    program = student_program(school)
    for _ in range(n):
        teacher(school, experience=10)
    started = today_in() - dt.timedelta(days=120)
    first_mentor_user = None
    for i in range(n):
        group = services.group_create(
            acting_user=curator,
            program=program,
            form=builtin_form("student-student"),
            mentor=mentor(program, capacity=3),
            mentees=[mentee(program)],
            started_on=started,
        )
        plan = plans.plan_create(acting_user=curator, group=group)
        plans.plan_submit(acting_user=curator, plan=plan)
        if i == 0:
            first_mentor_user = UserFactory()
            RoleAssignment.objects.create(user=first_mentor_user, role=Role.MENTOR, organisation=school)
            person = group.mentor.person
            person.user = first_mentor_user
            person.save()
    roadmap_with_overdue_events(curator, school, n)
    return first_mentor_user


@pytest.mark.parametrize("n", [1, 2, 5, 11, 21])
def test_every_number_on_the_main_pages_agrees_with_its_noun(
    n, client_for, school_x, school_x_curator, municipal_curator_a, regional_user
):
    mentor_user = school_with(n, school_x, school_x_curator)
    pages = [
        (school_x_curator, reverse("home")),
        (municipal_curator_a, reverse("home")),
        (regional_user, reverse("home")),
        (school_x_curator, reverse("registry:person_list")),
        (school_x_curator, reverse("mentoring:board")),
        (school_x_curator, reverse("mentoring:group_list")),
        (school_x_curator, reverse("roadmaps:list")),
        (school_x_curator, reverse("roadmaps:summary")),
        (school_x_curator, reverse("orgs:organisation_detail", args=[school_x.pk])),
        (municipal_curator_a, reverse("orgs:organisation_list")),
        (school_x_curator, reverse("monitoring:organisation", args=[school_x.pk])),
        (municipal_curator_a, reverse("monitoring:municipality", args=[school_x.municipality_id])),
        (school_x_curator, reverse("monitoring:stage1", args=["organisation", school_x.pk])),
        (school_x_curator, reverse("monitoring:stage2", args=["organisation", school_x.pk])),
        (mentor_user, reverse("mentoring:my")),
    ]
    seen = ""
    problems = {}
    for user, url in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        text = page_text(response.content.decode())
        seen += text
        if found := disagreements(text):
            problems[url] = found
    assert not problems
    # the counts the issue named are on the pages, in the right form
    teachers = plural_form(n, "педагог", "педагога", "педагогов")
    assert f" {n} {teachers}" in seen
    assert (
        f"{n} {plural_form(n, 'индивидуальный план ждёт', 'индивидуальных плана ждут', 'индивидуальных планов ждут')}"
        in seen
    )
    overdue = plural_form(
        n, "просроченное мероприятие", "просроченных мероприятия", "просроченных мероприятий"
    )
    assert f"{n} {overdue}" in seen
    assert f"{n} {plural_form(n, 'пара или группа', 'пары и группы', 'пар и групп')}" in seen
