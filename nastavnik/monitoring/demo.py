"""Monitoring part of the demo region: pairs and groups formed in the autumn (so that the
dashboards have mentors and mentees to count) and target values from the seed roadmap.

Bulk inserts, like the rest of the demo: reference data for a new installation, not a user's change.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from nastavnik.mentoring.models import GroupMembership, MentoringGroup
from nastavnik.orgs.models import MentoringForm, Municipality, Organisation, Program, Region, academic_year_of
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus, PersonKind

from .models import Indicator, IndicatorTarget
from .targets_paste import parse_targets

# The table of target indicators of the school seed (roadmap-school-cmn-2020), as pasted.
SEED_TABLE = """№ п/п\tНаименование показателя\t2021 год\t2024 год
1.\tДоля детей в возрасте от 11 до 18 лет, вошедших в наставнические программы в роли наставляемого, от общего количества обучающихся МБОУ «СОШ № 7», %\t12,5 %\t15 %
2.\tДоля детей и подростков в возрасте от 15 до 18 лет, вошедших в наставнические программы в роли наставника, от общего количества обучающихся МБОУ «СОШ № 7», %\t0,2 %\t0,5 %
3.\tДоля учителей-молодых специалистов МБОУ «СОШ № 7», вошедших в наставнические программы в роли наставляемого, %\t0 %\t100 %
4.\tДоля детей с ограниченными возможностями здоровья, охваченных наставническими программами, в том числе с использованием дистанционных образовательных технологий, от общего числа обучающихся с ОВЗ %\t14 %\t28%
5.\tДоля несовершеннолетних обучающихся, охваченных наставническими программами, состоящими на персонифицированном учете, находящимися в социально опасном положении, от общего количества обучающихся МБОУ «СОШ № 7», %\t33 %\t50 %
"""

MUNICIPAL_TARGETS = {
    "mentees-11-18": Decimal(10),
    "mentors-15-18": Decimal("1.5"),
    "young-teachers-mentees": Decimal(100),
    "ovz-covered": Decimal(20),
    "consent-coverage": Decimal(100),
}
REGIONAL_TARGETS = {"learners-covered": Decimal(70)}


MATCHING_DEMO_SCHOOL = "МБОУ «СОШ № 1»"


def _form_for(
    program: Program, mentor: Participation, forms: dict[str, MentoringForm]
) -> MentoringForm | None:
    allowed = {f.code: f for f in program.forms.all()}
    if mentor.person.kind == PersonKind.TEACHER:
        wanted = ["teacher-teacher", "teacher-student"] if program.kind == "teachers" else ["teacher-student"]
    elif mentor.person.kind == PersonKind.PARTNER_EMPLOYEE:
        wanted = ["employer-pupil"]
    else:
        wanted = ["student-student"]
    for code in wanted:
        if code in allowed:
            return allowed[code]
    return next(iter(allowed.values()), None)


def form_demo_pairs(today: dt.date, rng: random.Random) -> None:
    """Pair about three quarters of the current year's candidates under their programs' mentors
    (all programs but the one the matching demo starts from)."""
    year = academic_year_of(today)
    started = min(today, dt.date(year, 10, 1))
    forms = {f.code: f for f in MentoringForm.objects.filter(organisation__isnull=True)}
    # СОШ № 1's students are left as candidates: the demo of the matching starts there.
    programs = (
        Program.objects.filter(academic_year=year)
        .exclude(organisation__short_name=MATCHING_DEMO_SCHOOL, kind="students")
        .prefetch_related("forms")
        .order_by("pk")
    )
    groups: list[MentoringGroup] = []
    members: list[tuple[int, Participation]] = []
    paired: list[int] = []
    for program in programs:
        participations = list(
            Participation.objects.filter(program=program, status=ParticipationStatus.CANDIDATE)
            .select_related("person")
            .order_by("pk")
        )
        mentors = [p for p in participations if p.role == ParticipationRole.MENTOR]
        # Partners' employees first: the few of them should not be left without mentees.
        mentors.sort(key=lambda p: p.person.kind != PersonKind.PARTNER_EMPLOYEE)
        mentees = [p for p in participations if p.role == ParticipationRole.MENTEE and rng.random() < 0.75]
        for mentor in mentors:
            form = _form_for(program, mentor, forms)
            capacity = min(mentor.capacity or program.max_mentees_per_mentor, program.max_mentees_per_mentor)
            taken = mentees[:capacity]
            if not taken or form is None:
                continue
            mentees = [m for m in mentees if m not in taken]
            groups.append(MentoringGroup(program=program, form=form, mentor=mentor, started_on=started))
            members.extend((len(groups) - 1, m) for m in taken)
            paired.extend([mentor.pk, *(m.pk for m in taken)])
    MentoringGroup.objects.bulk_create(groups)
    GroupMembership.objects.bulk_create(
        GroupMembership(group=groups[index], mentee=mentee, joined_on=started) for index, mentee in members
    )
    Participation.objects.filter(pk__in=paired).update(status=ParticipationStatus.IN_PAIR)


def add_demo_monitoring(today: dt.date, rng: random.Random) -> None:
    form_demo_pairs(today, rng)
    indicators = list(Indicator.objects.all())
    by_code = {i.code: i for i in indicators}
    rows: list[IndicatorTarget] = []
    school7 = Organisation.objects.filter(short_name="МБОУ «СОШ № 7»").first()
    if school7 is not None:
        for row in parse_targets(SEED_TABLE, indicators).matched:
            assert row.indicator is not None
            for target_year, value in row.values.items():
                rows.append(
                    IndicatorTarget(
                        indicator=row.indicator, year=target_year, value=value, organisation=school7
                    )
                )
    municipality = Municipality.objects.filter(organisations=school7).first() if school7 else None
    if municipality is not None:
        for code, value in MUNICIPAL_TARGETS.items():
            rows.append(
                IndicatorTarget(
                    indicator=by_code[code], year=today.year, value=value, municipality=municipality
                )
            )
    region = Region.objects.filter(municipalities=municipality).first() if municipality else None
    if region is not None:
        for code, value in REGIONAL_TARGETS.items():
            rows.append(IndicatorTarget(indicator=by_code[code], year=2024, value=value, region=region))
    IndicatorTarget.objects.bulk_create(rows)
