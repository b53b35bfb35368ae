"""Accounts for the people of the registry: created for a whole class (its parents, the staff,
a program) in one action, delivered by an e-mail invitation or a printed login slip; reissued
from a person's card; switched off when the person leaves or withdraws from every program.

The accounts themselves, their roles and one-time codes are `nastavnik.accounts.services`; this
module knows the people and checks the permission over them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from nastavnik.accounts import services as account_services
from nastavnik.accounts.models import AccessCodeKind, Role, RoleAssignment, User
from nastavnik.base.audit import acting_as, log_bulk
from nastavnik.base.time import local_today
from nastavnik.orgs.access import require_manage_organisation
from nastavnik.orgs.models import Organisation

from ..models import Participation, ParticipationStatus, Person
from ..selectors.accounts import participant_roles, proposed_logins

_ACCOUNTS_REFUSAL = "Учётные записи создают администрация и кураторы организации."


@dataclass(frozen=True)
class Slip:
    """What a printed login slip shows."""

    full_name: str
    school_class: str
    organisation: str
    username: str
    code: str  # as printed: «ABCDE-FGHJK»
    url: str  # the page the QR code opens, login and code filled in
    login_page: str
    expires_on: dt.date


@dataclass
class AccountsIssued:
    created: list[Person] = field(default_factory=list)
    invited: list[Person] = field(default_factory=list)
    slips: list[Slip] = field(default_factory=list)
    skipped: list[Person] = field(default_factory=list)


def _slip(person: Person, username: str, code: str, site_url: str) -> Slip:
    login_page = site_url.rstrip("/") + reverse("slip_login")
    return Slip(
        full_name=person.full_name,
        school_class=person.school_class,
        organisation=person.organisation.short_name,
        username=username,
        code=account_services.format_slip_code(code),
        url=f"{login_page}?{urlencode({'login': username, 'code': code})}",
        login_page=login_page,
        expires_on=local_today(person.organisation) + dt.timedelta(days=settings.ACCOUNT_SLIP_DAYS),
    )


def _deliver(
    *, acting_user: User, pairs: Sequence[tuple[Person, User]], slips_for_all: bool, site_url: str, kind: str
) -> AccountsIssued:
    """Invitations to those with an e-mail (sent once the transaction commits), slips to the rest."""
    issued = AccountsIssued()
    by_email = [(p, u) for p, u in pairs if u.email and not slips_for_all]
    on_paper = [(p, u) for p, u in pairs if not (u.email and not slips_for_all)]
    tokens = account_services.access_codes_issue(
        acting_user=acting_user, users=[u for _, u in by_email], kind=AccessCodeKind.INVITATION
    )
    codes = account_services.access_codes_issue(
        acting_user=acting_user, users=[u for _, u in on_paper], kind=kind
    )
    invitations = [(u, tokens[u.pk]) for _, u in by_email]
    transaction.on_commit(
        lambda: account_services.invitations_send(invitations=invitations, site_url=site_url)
    )
    issued.invited = [p for p, _ in by_email]
    issued.slips = [_slip(p, u.username, codes[u.pk], site_url) for p, u in on_paper]
    return issued


def accounts_create_for_people(
    *,
    acting_user: User,
    organisation: Organisation,
    people: Sequence[Person],
    site_url: str,
    slips_for_all: bool = False,
) -> AccountsIssued:
    """Create the logins of these people in one transaction and a fixed number of queries:
    readable unique logins, the roles their participation gives, an invitation or a slip each.
    People who already have an account are skipped (their card reissues a slip)."""
    require_manage_organisation(acting_user, organisation.pk, _ACCOUNTS_REFUSAL)
    if any(p.organisation_id != organisation.pk for p in people):
        raise ValidationError("Учётные записи создаются только для участников этой организации.")
    new = [p for p in people if p.user_id is None]
    skipped = [p for p in people if p.user_id is not None]
    with transaction.atomic(), acting_as(acting_user):
        logins = proposed_logins(new)
        specs = [
            account_services.NewAccount(
                username=login,
                last_name=person.last_name,
                first_name=person.first_name,
                middle_name=person.middle_name,
                email=person.email,
                roles=tuple((role.value, organisation.pk) for role in participant_roles(person)),
            )
            for person, login in zip(new, logins, strict=True)
        ]
        users = account_services.accounts_create(acting_user=acting_user, accounts=specs)
        for person, user in zip(new, users, strict=True):
            person.user = user
        Person.objects.bulk_update(new, ["user"])
        log_bulk(
            new,
            action=LogEntry.Action.UPDATE,
            changes=lambda p: {"user": [None, p.user.username]},  # type: ignore[attr-defined]
        )
        issued = _deliver(
            acting_user=acting_user,
            pairs=list(zip(new, users, strict=True)),
            slips_for_all=slips_for_all,
            site_url=site_url,
            kind=AccessCodeKind.SLIP,
        )
    issued.created = new
    issued.skipped = skipped
    return issued


def account_slip_issue(*, acting_user: User, person: Person, site_url: str) -> Slip:
    """A new one-time slip for a person (a forgotten password, a lost slip); makes the account
    if there is none yet. Earlier unused codes stop working."""
    require_manage_organisation(acting_user, person.organisation_id, _ACCOUNTS_REFUSAL)
    if person.user_id is None:
        return accounts_create_for_people(
            acting_user=acting_user,
            organisation=person.organisation,
            people=[person],
            site_url=site_url,
            slips_for_all=True,
        ).slips[0]
    user = _active_account(person)
    with transaction.atomic():
        issued = _deliver(
            acting_user=acting_user,
            pairs=[(person, user)],
            slips_for_all=True,
            site_url=site_url,
            kind=AccessCodeKind.RESET,
        )
    return issued.slips[0]


def account_invitation_send(*, acting_user: User, person: Person, site_url: str) -> None:
    """E-mail a person a new invitation link (making the account if there is none yet)."""
    require_manage_organisation(acting_user, person.organisation_id, _ACCOUNTS_REFUSAL)
    if person.user_id is None:
        if not person.email:
            raise ValidationError("У участника не указан e-mail: выдайте листок для входа.")
        accounts_create_for_people(
            acting_user=acting_user, organisation=person.organisation, people=[person], site_url=site_url
        )
        return
    user = _active_account(person)
    if not user.email:
        raise ValidationError("В учётной записи нет e-mail: выдайте листок для входа.")
    with transaction.atomic():
        _deliver(
            acting_user=acting_user,
            pairs=[(person, user)],
            slips_for_all=False,
            site_url=site_url,
            kind=AccessCodeKind.RESET,
        )


def _active_account(person: Person) -> User:
    user = person.user
    assert user is not None
    if not user.is_active:
        raise ValidationError("Учётная запись отключена: сначала восстановите доступ.")
    return user


def person_account_deactivate(*, acting_user: User, person: Person) -> User:
    require_manage_organisation(acting_user, person.organisation_id, _ACCOUNTS_REFUSAL)
    if person.user is None:
        raise ValidationError("У участника нет учётной записи.")
    return account_services.account_deactivate(acting_user=acting_user, user=person.user)


def person_account_reactivate(*, acting_user: User, person: Person) -> User:
    require_manage_organisation(acting_user, person.organisation_id, _ACCOUNTS_REFUSAL)
    if person.user is None:
        raise ValidationError("У участника нет учётной записи.")
    return account_services.account_reactivate(acting_user=acting_user, user=person.user)


# --- the registry's changes the accounts follow ----------------------------------------------


def account_follow_person(*, acting_user: User | None, person: Person) -> bool:
    """Switch off the account of a person who has left the organisation, or who has withdrawn
    from every program they took part in. Only an account that serves this person in this
    organisation alone: a curator who is also a mentor keeps theirs. True if switched off.

    Completing a program does not switch the account off: the participant still fills in the
    final feedback in «Мой кабинет»."""
    if person.user_id is None:
        return False
    user = person.user
    assert user is not None
    if not user.is_active or user.is_superuser or user.is_staff:
        return False
    roles = list(RoleAssignment.objects.filter(user=user).values_list("role", "organisation_id"))
    if any(organisation_id != person.organisation_id for _, organisation_id in roles):
        return False
    if person.left_on and person.left_on <= local_today(person.organisation):
        left = True
    else:
        statuses = set(Participation.objects.filter(person=person).values_list("status", flat=True))
        left = statuses == {ParticipationStatus.WITHDRAWN} and all(
            role in {Role.MENTOR, Role.MENTEE} for role, _ in roles
        )
    if left:
        account_services.account_deactivate(acting_user=acting_user, user=user)
    return left


def account_roles_follow_participation(*, acting_user: User, participation: Participation) -> None:
    """A person with an account who joins a program gets the matching participant's role."""
    person = participation.person
    if person.user_id is None:
        return
    role = Role.MENTOR if participation.role == "mentor" else Role.MENTEE
    assert person.user is not None
    account_services.role_ensure(
        acting_user=acting_user, user=person.user, role=role, organisation_id=person.organisation_id
    )
