"""The 152-ФЗ consent rule, in one place, twice: for one person in Python and for a queryset in
SQL. Both read the same definition below and a test pins that they agree.

Rule: an adult consents for themselves; a minor needs a legal representative's consent, and from
14 years their own as well. A learner whose birth date is unknown is treated as a child under 14
(the safe side: a representative must consent). Other people without a birth date are adults.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from nastavnik.base.time import years_before

from .models import LEARNER_KINDS, Consent, ConsentGiver, ConsentKind, Person

ADULT_AGE = 18
OWN_CONSENT_AGE = 14


@dataclass(frozen=True)
class ConsentState:
    needs_own: bool
    needs_representative: bool
    has_own: bool
    has_representative: bool
    missing: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.missing

    @property
    def summary(self) -> str:
        if self.is_valid:
            return "Согласие есть"
        return "; ".join(self.missing)


def age_group(person: Person, on_date: dt.date) -> str:
    """ "adult", "teen" (14–17) or "child" (under 14)."""
    if person.birth_date is None:
        return "child" if person.kind in LEARNER_KINDS else "adult"
    adult_born_by, teen_born_by = _age_cutoffs(on_date)
    if person.birth_date <= adult_born_by:
        return "adult"
    if person.birth_date <= teen_born_by:
        return "teen"
    return "child"


def _needed(person: Person, on_date: dt.date) -> tuple[bool, bool]:
    """(own consent needed, a representative's needed): an adult and a teen consent themselves, a
    representative consents for a teen and a child."""
    group = age_group(person, on_date)
    return group != "child", group != "adult"


@functools.lru_cache(maxsize=64)
def _age_cutoffs(on_date: dt.date) -> tuple[dt.date, dt.date]:
    # Asked for each of thousands of people on one day (a matching run's candidates).
    return years_before(on_date, ADULT_AGE), years_before(on_date, OWN_CONSENT_AGE)


def consent_state(
    person: Person, on_date: dt.date, consents: Iterable[Consent] | None = None
) -> ConsentState:
    """The consent state of one person. Pass `consents` when they are prefetched."""
    if consents is None:
        consents = person.consents.all()
    active = [c for c in consents if c.kind == ConsentKind.PROCESSING and c.is_active_on(on_date)]
    has_own = any(c.given_by == ConsentGiver.SELF for c in active)
    has_representative = any(c.given_by == ConsentGiver.REPRESENTATIVE for c in active)
    needs_own, needs_representative = _needed(person, on_date)
    missing = missing_consents(needs_representative, has_representative, needs_own, has_own)
    return ConsentState(
        needs_own=needs_own,
        needs_representative=needs_representative,
        has_own=has_own,
        has_representative=has_representative,
        missing=missing,
    )


def active_processing_consents(on_date: dt.date) -> Q:
    return (
        Q(kind=ConsentKind.PROCESSING, signed_on__lte=on_date)
        & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=on_date))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=on_date))
    )


def _age_groups(on_date: dt.date) -> tuple[Q, Q, Q]:
    """(adult, teen 14–17, child under 14) as disjoint conditions over Person rows."""
    adult_cut = years_before(on_date, ADULT_AGE)
    teen_cut = years_before(on_date, OWN_CONSENT_AGE)
    is_adult = Q(birth_date__lte=adult_cut) | (Q(birth_date__isnull=True) & ~Q(kind__in=LEARNER_KINDS))
    is_teen = Q(birth_date__gt=adult_cut, birth_date__lte=teen_cut)
    is_child = Q(birth_date__gt=teen_cut) | Q(birth_date__isnull=True, kind__in=LEARNER_KINDS)
    return is_adult, is_teen, is_child


def consent_valid_condition(on_date: dt.date) -> Q:
    """A Q over a queryset annotated by `with_consent_state` that is true when consent is valid."""
    is_adult, is_teen, is_child = _age_groups(on_date)
    has_own = Q(has_own_consent=True)
    has_representative = Q(has_representative_consent=True)
    return (is_adult & has_own) | (is_teen & has_own & has_representative) | (is_child & has_representative)


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def with_consent_state(people: QuerySet[Person], on_date: dt.date) -> QuerySet[Person]:
    """Annotate has_own_consent, has_representative_consent, needs_own_consent,
    needs_representative_consent and consent_valid, all in SQL."""
    active = Consent.objects.filter(active_processing_consents(on_date), subject=OuterRef("pk"))
    is_adult, is_teen, is_child = _age_groups(on_date)
    return people.annotate(
        has_own_consent=Exists(active.filter(given_by=ConsentGiver.SELF)),
        has_representative_consent=Exists(active.filter(given_by=ConsentGiver.REPRESENTATIVE)),
        needs_own_consent=_flag(is_adult | is_teen),
        needs_representative_consent=_flag(is_teen | is_child),
    ).annotate(consent_valid=_flag(consent_valid_condition(on_date)))


def missing_from_annotations(person: Person) -> list[str]:
    """What a row annotated by `with_consent_state` lacks, in the words of `consent_state`."""
    return missing_consents(
        person.needs_representative_consent,  # type: ignore[attr-defined]
        person.has_representative_consent,  # type: ignore[attr-defined]
        person.needs_own_consent,  # type: ignore[attr-defined]
        person.has_own_consent,  # type: ignore[attr-defined]
    )


def given_consents(people: QuerySet[Person], on_date: dt.date) -> set[tuple[int, str]]:
    """(person id, `ConsentGiver`) of each consent to processing of `people` active on the day.
    With the people's birth dates and kinds already read, `missing_for` needs nothing more: one
    query of these pairs for thousands of people (a matching run), instead of the two EXISTS a
    person of `with_consent_state` and a row of flags each."""
    return set(
        Consent.objects.filter(active_processing_consents(on_date), subject__in=people)
        .order_by()
        .values_list("subject_id", "given_by")
    )


def missing_for(person: Person, on_date: dt.date, given: set[tuple[int, str]]) -> tuple[str, ...]:
    """What the person's consent lacks on the day (`consent_state(...).missing`), from the pairs
    of `given_consents`. Asked for each of thousands of people at once (a matching run's
    candidates): the answers are the few `_missing` makes, each made once."""
    needs_own, needs_representative = _needed(person, on_date)
    pk = person.pk
    return _missing(
        needs_representative,
        (pk, ConsentGiver.REPRESENTATIVE) in given,
        needs_own,
        (pk, ConsentGiver.SELF) in given,
    )


@functools.cache
def _missing(
    needs_representative: bool, has_representative: bool, needs_own: bool, has_own: bool
) -> tuple[str, ...]:
    return tuple(missing_consents(needs_representative, has_representative, needs_own, has_own))


def missing_consents(
    needs_representative: bool, has_representative: bool, needs_own: bool, has_own: bool
) -> list[str]:
    """What a consent lacks, from whether each consent is needed and whether it was given."""
    missing = []
    if needs_representative and not has_representative:
        missing.append("нет согласия законного представителя")
    if needs_own and not has_own:
        missing.append("нет собственного согласия участника")
    return missing


# --- purposes of processing and the state of one kind of consent, as the consent grid shows them ---

# The purposes the product processes personal data for. A consent stores its purposes as readable
# text (the paper is what counts); these are the checkboxes forms offer, and the text is built
# from them so that the ticked ones can be read back.
PURPOSES: dict[str, str] = {
    "registry": "формирование базы наставников и наставляемых",
    "surveys": "анкетирование и диагностика участников",
    "matching": "формирование наставнических пар и групп",
    "work": "организация работы пар и групп: индивидуальные планы, встречи, мероприятия",
    "monitoring": "мониторинг и оценка результатов программы, отчётность перед муниципалитетом и регионом",
}
PURPOSES_PREFIX = "Участие в программе наставничества: "


def purposes_text(codes: Iterable[str]) -> str:
    """«Участие в программе наставничества: a; b.» for the ticked purposes, in the list's order."""
    chosen = set(codes)
    labels = [label for code, label in PURPOSES.items() if code in chosen]
    if not labels:
        raise ValueError("at least one purpose is required")
    return f"{PURPOSES_PREFIX}{'; '.join(labels)}."


def purpose_codes(text: str) -> list[str]:
    """The purposes of the list a stored text names (older free texts may name none)."""
    return [code for code, label in PURPOSES.items() if label in text]


def giver_status(consents: Iterable[Consent], given_by: str, needed: bool, on_date: dt.date) -> str:
    """What the grid shows for one kind of consent: «есть до …» / «есть с …», «отозвано», «нужно»,
    «не нужно». `consents` are the person's (prefetched) consents."""
    mine = [c for c in consents if c.kind == ConsentKind.PROCESSING and c.given_by == given_by]
    active = [c for c in mine if c.is_active_on(on_date)]
    if active:
        ends = [c.valid_until for c in active]
        if None in ends:
            return f"есть с {min(c.signed_on for c in active):%d.%m.%Y}"
        return f"есть до {max(d for d in ends if d):%d.%m.%Y}"
    if not needed:
        return "не нужно"
    if any(c.revoked_on and c.revoked_on <= on_date for c in mine):
        return "отозвано"
    return "нужно"


# --- the separate consent to dissemination (152-ФЗ art. 10.1): publishing a name, a photo, a story ---
# The same age rule as processing, over consents of kind DISTRIBUTION: an adult gives it; a minor's
# representative gives it, and from 14 the minor as well. Written once in Python, once in SQL.


def active_distribution_consents(on_date: dt.date) -> Q:
    return (
        Q(kind=ConsentKind.DISTRIBUTION, signed_on__lte=on_date)
        & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=on_date))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=on_date))
    )


def distribution_allowed(person: Person, on_date: dt.date, consents: Iterable[Consent] | None = None) -> bool:
    """Whether the person's name, photo or story may be made public on `on_date`. Pass
    `consents` when they are prefetched."""
    if consents is None:
        consents = person.consents.all()
    active = [c for c in consents if c.kind == ConsentKind.DISTRIBUTION and c.is_active_on(on_date)]
    has_own = any(c.given_by == ConsentGiver.SELF for c in active)
    has_representative = any(c.given_by == ConsentGiver.REPRESENTATIVE for c in active)
    group = age_group(person, on_date)
    if group == "adult":
        return has_own
    if group == "teen":
        return has_own and has_representative
    return has_representative


def distribution_allowed_q(on_date: dt.date) -> Q:
    """The same rule as a condition over Person rows: `Person.objects.filter(distribution_allowed_q(day))`
    (use its `values("pk")` inside a filter of another model)."""
    active = Consent.objects.filter(active_distribution_consents(on_date), subject=OuterRef("pk"))
    own = Exists(active.filter(given_by=ConsentGiver.SELF))
    representative = Exists(active.filter(given_by=ConsentGiver.REPRESENTATIVE))
    is_adult, is_teen, is_child = _age_groups(on_date)
    return Q(is_adult & own) | Q(is_teen & own & representative) | Q(is_child & representative)
