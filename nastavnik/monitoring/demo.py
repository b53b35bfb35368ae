"""Monitoring part of the demo region: target values from the seed roadmap and, until the demo
forms real pairs, most admitted candidates marked as being in a pair, so the dashboards show
something to look at."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.apps import apps

from nastavnik.orgs.models import Municipality, Organisation, Region, academic_year_of
from nastavnik.registry.models import Participation, ParticipationStatus

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


def add_demo_monitoring(today: dt.date, rng: random.Random) -> None:
    year = academic_year_of(today)
    if not apps.is_installed("nastavnik.mentoring"):
        candidates = list(
            Participation.objects.filter(program__academic_year=year, status=ParticipationStatus.CANDIDATE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        paired = [pk for pk in candidates if rng.random() < 0.75]
        Participation.objects.filter(pk__in=paired).update(status=ParticipationStatus.IN_PAIR)

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
