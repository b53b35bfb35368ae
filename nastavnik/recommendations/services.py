"""Writes: giving a recommendation (with each school's indicator values at that moment), a
school's answer, and the management decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.monitoring.models import Indicator
from nastavnik.monitoring.scopes import Scope
from nastavnik.orgs.models import Municipality, Organisation, Region
from nastavnik.roadmaps.models import RoadmapEvent

from .access import issuer_scope_of, require_answer, require_decide, require_recommend
from .models import Addressee, AddresseeStatus, Baseline, DecisionKind, Recommendation
from .selectors import indicator_values


def recommendation_create(
    *,
    acting_user: User,
    scope: Scope,
    title: str,
    text: str,
    due_on: dt.date,
    organisations: Sequence[Organisation],
    indicators: Sequence[Indicator] = (),
    roadmap_events: Sequence[RoadmapEvent] = (),
) -> Recommendation:
    require_recommend(acting_user, scope)
    today = scope.today()
    if not organisations:
        raise ValidationError({"organisations": "Выберите хотя бы одну организацию."})
    outside = [o.short_name for o in organisations if not scope.organisations().filter(pk=o.pk).exists()]
    if outside:
        raise ValidationError({"organisations": f"Организация не из этой территории: {', '.join(outside)}."})
    if due_on < today:
        raise ValidationError({"due_on": "Срок уже прошёл: укажите дату не раньше сегодняшней."})
    if not indicators and not roadmap_events:
        raise ValidationError(
            "Укажите, к каким отстающим показателям или мероприятиям дорожной карты она относится."
        )
    recommendation = Recommendation(
        municipality=scope.obj if isinstance(scope.obj, Municipality) else None,
        region=scope.obj if isinstance(scope.obj, Region) else None,
        title=title.strip(),
        text=text.strip(),
        due_on=due_on,
        created_by=acting_user,
    )
    recommendation.full_clean()
    values = indicator_values(acting_user, [o.pk for o in organisations], indicators, today)
    with transaction.atomic(), acting_as(acting_user):
        recommendation.save()
        recommendation.indicators.set(indicators)
        recommendation.roadmap_events.set(roadmap_events)
        for organisation in organisations:
            addressee = Addressee.objects.create(recommendation=recommendation, organisation=organisation)
            Baseline.objects.bulk_create(
                Baseline(
                    addressee=addressee, indicator=i, value=values[organisation.pk][i.code], measured_on=today
                )
                for i in indicators
            )
    return recommendation


def addressee_answer(
    *, acting_user: User, addressee: Addressee, answer: str, actions_done: str = "", done: bool = False
) -> Addressee:
    require_answer(acting_user, addressee)
    if not answer.strip():
        raise ValidationError({"answer": "Напишите ответ: что организация делает по рекомендации."})
    if done and not actions_done.strip():
        raise ValidationError({"actions_done": "Отметить выполнение можно, описав, что сделано."})
    addressee.answer = answer.strip()
    addressee.actions_done = actions_done.strip()
    addressee.status = AddresseeStatus.DONE if done else AddresseeStatus.ANSWERED
    addressee.answered_at = timezone.now()
    addressee.answered_by = acting_user
    addressee.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        addressee.save()
    return addressee


def recommendation_decide(
    *, acting_user: User, recommendation: Recommendation, decision_kind: str, decision: str
) -> Recommendation:
    require_decide(acting_user, recommendation)
    if decision_kind not in DecisionKind.values:
        raise ValidationError({"decision_kind": "Выберите вид управленческого решения."})
    if not decision.strip():
        raise ValidationError({"decision": "Опишите решение: что, кто и в какой срок."})
    recommendation.decision_kind = decision_kind
    recommendation.decision = decision.strip()
    recommendation.decided_on = issuer_scope_of(recommendation).today()
    recommendation.decided_by = acting_user
    recommendation.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        recommendation.save()
    return recommendation
