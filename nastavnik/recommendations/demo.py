"""Demo: the municipal curator («mun») recommended two things after monitoring; one school
answered and did it, the decision is recorded; curator1's school still owes an answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from nastavnik.accounts.models import Role, RoleAssignment, User
from nastavnik.monitoring.models import Indicator
from nastavnik.monitoring.scopes import MUNICIPALITY, Scope

from .models import Baseline, Recommendation
from .services import addressee_answer, recommendation_create, recommendation_decide


def _backdate(recommendation: Recommendation, day: dt.date) -> None:
    """The first recommendation was given two months ago, when the indicator stood lower: the
    list shows it moved since (demo only; real baselines are measured when it is given)."""
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    Recommendation.objects.filter(pk=recommendation.pk).update(created_at=moment)
    for baseline in Baseline.objects.filter(addressee__recommendation=recommendation):
        if baseline.value is not None:
            baseline.value = max(Decimal(0), baseline.value - Decimal("1.8"))
        baseline.measured_on = day
        baseline.save(update_fields=["value", "measured_on"])


def build_recommendations_demo(today: dt.date) -> bool:
    mun = User.objects.filter(username="mun").first()
    if mun is None or Recommendation.objects.exists():
        return False
    municipality = RoleAssignment.objects.get(user=mun, role=Role.MUNICIPAL_CURATOR).municipality
    assert municipality is not None
    scope = Scope(MUNICIPALITY, municipality, municipality.region.timezone)
    schools = list(municipality.organisations.order_by("pk"))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=["mentees-10-19", "mentors-15-18"])}
    first = recommendation_create(
        acting_user=mun,
        scope=scope,
        title="Вовлечь старшеклассников в роль наставников",
        text=(
            "Провести для 9–11 классов презентацию программы «ученик — ученик», отобрать кандидатов "
            "в наставники и включить их в программу до конца четверти."
        ),
        due_on=today + dt.timedelta(days=45),
        organisations=schools[:2],
        indicators=[indicators["mentors-15-18"]],
    )
    second = recommendation_create(
        acting_user=mun,
        scope=scope,
        title="Довести охват наставляемых 10–19 лет до целевого",
        text="Сформировать пары для обучающихся с низкой мотивацией; отчитаться о числе пар.",
        due_on=today + dt.timedelta(days=20),
        organisations=schools[1:2],
        indicators=[indicators["mentees-10-19"]],
    )
    answerer = User.objects.filter(username="curator7").first() or mun
    for recommendation in (first, second):
        addressee = recommendation.addressees.order_by("pk").last()
        assert addressee is not None
        if answerer != mun:
            addressee_answer(
                acting_user=answerer,
                addressee=addressee,
                answer="Презентация проведена на классных часах 9–11 классов.",
                actions_done="Отобрано 6 кандидатов в наставники, включены в программу.",
                done=recommendation is first,
            )
    recommendation_decide(
        acting_user=mun,
        recommendation=first,
        decision_kind="training",
        decision="Провести муниципальную школу наставников для кураторов в январе; ответственный — методист УО.",
    )
    _backdate(first, today - dt.timedelta(days=60))
    return True
