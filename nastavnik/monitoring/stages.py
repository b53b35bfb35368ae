"""Reads for the pages «Мониторинг: этап 1» (satisfaction) and «Мониторинг: этап 2» (growth).

Both read people only through the access layer (`scope_people`) and aggregate in the database:
the number of queries is the same for one participant and for thousands (tested).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from nastavnik.mentoring.models import MentoringGroup
from nastavnik.orgs.models import MentoringForm, Municipality
from nastavnik.registry.models import Person

from . import growth
from .engagement import in_organisation_on
from .growth import Growth
from .satisfaction import Satisfaction, satisfaction_by_organisation, sum_satisfaction
from .scopes import MUNICIPALITY, ORGANISATION, REGION, Scope, drill_url, scope_people

SATISFACTION_INDICATOR = "participants-satisfied"


# --- stage 1 -----------------------------------------------------------------------------------------


@dataclass
class SatisfactionRow:
    label: str
    url: str
    satisfaction: Satisfaction
    respondents_url: str = ""
    satisfied_url: str = ""


@dataclass
class Stage1:
    scope: Scope
    day: dt.date
    total: Satisfaction
    respondents_url: str
    satisfied_url: str
    rows: list[SatisfactionRow] = field(default_factory=list)  # organisations or municipalities


def _drill(scope: Scope, day: dt.date, part: str) -> str:
    return drill_url(scope, day, indicator=SATISFACTION_INDICATOR, part=part)


def stage1(user: Any, scope: Scope, day: dt.date) -> Stage1:
    """Satisfaction of the scope, and of each of its organisations (municipalities for a region):
    the sum of the organisations, so every level shows exactly the sum of the one below."""
    person_ids = scope_people(user, scope).filter(in_organisation_on(day)).values("pk")
    by_org = satisfaction_by_organisation(person_ids, day, scope)
    page = Stage1(
        scope=scope,
        day=day,
        total=sum_satisfaction(by_org.values()),
        respondents_url=_drill(scope, day, "denominator"),
        satisfied_url=_drill(scope, day, "numerator"),
    )
    if scope.level == MUNICIPALITY:
        for organisation in scope.organisations().order_by("short_name"):
            org_scope = Scope(ORGANISATION, organisation, organisation.timezone)
            page.rows.append(
                SatisfactionRow(
                    label=organisation.short_name,
                    url=reverse("monitoring:stage1", args=[ORGANISATION, organisation.pk]) + f"?date={day}",
                    satisfaction=by_org.get(organisation.pk, Satisfaction()),
                    respondents_url=_drill(org_scope, day, "denominator"),
                    satisfied_url=_drill(org_scope, day, "numerator"),
                )
            )
    elif scope.level == REGION:
        per_municipality: dict[int, list[Satisfaction]] = defaultdict(list)
        for org_id, municipality_id in scope.organisations().values_list("pk", "municipality_id"):
            if org_id in by_org:
                per_municipality[municipality_id].append(by_org[org_id])
        for municipality in Municipality.objects.filter(region_id=scope.pk).order_by("name"):
            mun_scope = Scope(MUNICIPALITY, municipality, scope.timezone)
            page.rows.append(
                SatisfactionRow(
                    label=municipality.name,
                    url=reverse("monitoring:stage1", args=[MUNICIPALITY, municipality.pk]) + f"?date={day}",
                    satisfaction=sum_satisfaction(per_municipality.get(municipality.pk, [])),
                    respondents_url=_drill(mun_scope, day, "denominator"),
                    satisfied_url=_drill(mun_scope, day, "numerator"),
                )
            )
    return page


# --- stage 2 -----------------------------------------------------------------------------------------


@dataclass
class Stage2:
    scope: Scope
    day: dt.date
    total: Growth
    parameters: list[Growth]
    by_form: list[Growth]
    # a municipality's organisations or a region's municipalities, side by side
    by_organisation: list[Growth] = field(default_factory=list)
    by_pair: list[Growth] = field(default_factory=list)  # an organisation's pairs and groups
    by_participant: list[Growth] = field(default_factory=list)
    without_exit: list[Person] = field(default_factory=list)  # an organisation's, by name

    @property
    def tables(self) -> list[tuple[str, str, list[Growth]]]:
        """(title, first column, rows) in the order of the page."""
        tables = [
            ("По диагностическим параметрам", "Параметр", self.parameters),
            ("По формам наставничества", "Форма", self.by_form),
        ]
        if self.scope.level == MUNICIPALITY:
            tables.insert(0, ("По организациям", "Организация", self.by_organisation))
        elif self.scope.level == REGION:
            tables.insert(0, ("По муниципалитетам", "Муниципалитет", self.by_organisation))
        else:
            tables += [
                ("По парам и группам", "Пара (группа)", self.by_pair),
                ("По участникам", "Участник", self.by_participant),
            ]
        return tables


Grouping = Callable[..., dict[Any, Growth]]


def _parameters(group: Grouping) -> list[Growth]:
    labels = growth.parameter_labels()
    by_code = group("question__code", per_measurement=True)
    order = list(labels)
    items = []
    for code, item in by_code.items():
        item.label = labels.get(code, str(code))
        items.append(item)
    return sorted(items, key=lambda g: order.index(g.key) if g.key in labels else len(order))


def _forms(group: Grouping, form_ids: Any) -> list[Growth]:
    by_form = group("form")
    names = dict(_one_query(MentoringForm.objects, form_ids).values_list("pk", "name"))
    items = []
    for key, item in by_form.items():
        item.label = names.get(key, "Без пары (группы)")
        items.append(item)
    return sorted(items, key=lambda g: g.label)


def _form_ids(rows: Any) -> Any:
    """The forms of the measurements' pairs, as a subquery (`form` is an annotation of
    `growth.measurements`, which the type checker cannot see)."""
    return rows.values("form")


def _one_query(objects: Any, ids: Any) -> Any:
    """`objects` with the given primary keys (a list or a subquery) in one query even when the
    list is empty (an empty `pk__in` alone makes none): the page's query count stays the same
    whatever the data."""
    return objects.filter(Q(pk__in=ids) | Q(pk__isnull=True))


def stage2(user: Any, scope: Scope, day: dt.date) -> Stage2:
    """Growth of the participants of an organisation (per parameter, form, pair and participant),
    of a municipality (per organisation, form and parameter) or of a region (per municipality,
    form and parameter)."""
    people = scope_people(user, scope)
    person_ids = people.values("pk")
    rows = growth.measurements(person_ids, day)
    without_exit_ids = growth.without_exit_person_ids(person_ids, day)
    if scope.level in (MUNICIPALITY, REGION):
        # A municipality puts its organisations side by side, a region its municipalities.
        if scope.level == MUNICIPALITY:
            path, unit_level = "organisation_id", ORGANISATION
            units = [(o.pk, o.short_name) for o in scope.organisations().order_by("short_name")]
        else:
            path, unit_level = "organisation__municipality_id", MUNICIPALITY
            units = [(m.pk, m.name) for m in Municipality.objects.filter(region_id=scope.pk).order_by("name")]
        by_unit = growth.grouped(rows, f"response__respondent__{path}")
        missing = dict(
            people.filter(pk__in=without_exit_ids).order_by().values_list(path).annotate(n=Count("pk"))
        )
        side_by_side = []
        for unit_pk, label in units:
            item = by_unit.get(unit_pk, Growth(key=unit_pk))
            item.label = label
            item.url = reverse("monitoring:stage2", args=[unit_level, unit_pk]) + f"?date={day}"
            item.without_exit = missing.get(unit_pk, 0)
            side_by_side.append(item)
        total = Growth(label=scope.name)
        for item in side_by_side:
            total = total + item
        in_database = partial(growth.grouped, rows)
        return Stage2(
            scope=scope,
            day=day,
            total=total,
            parameters=_parameters(in_database),
            # a subquery, not a list of ids: the region's measurements stay in the database
            by_form=_forms(in_database, _form_ids(rows)),
            by_organisation=side_by_side,
        )
    # An organisation's measurements are few: fetched once and grouped five ways in Python.
    measured = growth.measured(rows)
    in_memory = partial(growth.grouped_measured, measured)
    total = in_memory(None).get(None, Growth())
    total.label = scope.name
    without_exit = list(people.filter(pk__in=without_exit_ids).order_by("last_name", "first_name", "pk"))
    total.without_exit = len(without_exit)
    groups = _one_query(MentoringGroup.objects, {row["pair"] for row in measured}).select_related(
        "mentor__person", "form"
    )
    pair_labels = {g.pk: f"{g.mentor.person.short_name} · {g.form.name}" for g in groups}
    pairs = []
    for key, item in in_memory("pair").items():
        item.label = pair_labels.get(key, "Без пары (группы)")
        pairs.append(item)
    participants = []
    respondents = {row[growth.RESPONDENT] for row in measured}
    labels = {p.pk: p.full_name for p in _one_query(people, respondents)}
    for key, item in in_memory(growth.RESPONDENT).items():
        item.label = labels.get(key, "—")
        item.url = reverse("registry:person_detail", args=[key])
        participants.append(item)
    return Stage2(
        scope=scope,
        day=day,
        total=total,
        parameters=_parameters(in_memory),
        by_form=_forms(in_memory, {row["form"] for row in measured}),
        by_pair=sorted(pairs, key=lambda g: g.label),
        by_participant=sorted(participants, key=lambda g: g.label),
        without_exit=without_exit,
    )


def stage2_summary(user: Any, scope: Scope, day: dt.date) -> Stage2:
    """The total, the parameters and the forms of stage 2, counted as `stage2` counts them: what
    the annual report prints. The tables per pair, participant and unit stay on the page."""
    person_ids = scope_people(user, scope).values("pk")
    # the people of the scope with one diagnostic, counted as such (they are within person_ids)
    without_exit = growth.without_exit_person_ids(person_ids, day).count()
    if scope.level == ORGANISATION:
        measured = growth.measured(growth.measurements(person_ids, day))
        group: Grouping = partial(growth.grouped_measured, measured)
        by_form = _forms(group, {row["form"] for row in measured})
    else:
        # Only the forms need each measurement's pair: the total and the parameters are
        # grouped without those two correlated subqueries.
        with_pairs = growth.measurements(person_ids, day)
        group = partial(growth.grouped, growth.measurements(person_ids, day, pairs=False))
        by_form = _forms(partial(growth.grouped, with_pairs), _form_ids(with_pairs))
    total = group(None).get(None, Growth())
    total.label = scope.name
    total.without_exit = without_exit
    return Stage2(scope=scope, day=day, total=total, parameters=_parameters(group), by_form=by_form)
