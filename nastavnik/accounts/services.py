"""Writes of accounts: creating them in bulk, one-time codes (invitation links and login slips),
setting a password, deactivation. Each takes the acting user and runs under `acting_as`.

This layer knows users, not people: permission over the people an account is made for is
checked by the caller (the registry), which stands above."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from nastavnik.base.audit import acting_as, log_bulk

from .grants import RoleTarget, require_grant_role
from .models import AccessCode, AccessCodeKind, Role, RoleAssignment, User


@transaction.atomic
def role_grant(*, acting_user: User, user: User, role: Role | str, target: RoleTarget) -> RoleAssignment:
    """Give `user` the `role` at `target`; PermissionDenied if `acting_user` may not."""
    role = Role(role)
    require_grant_role(acting_user, role, target)
    if not user.is_active:
        raise ValidationError("Учётная запись отключена: роль назначить нельзя.")
    fields = target.scope_fields()
    existing = RoleAssignment.objects.filter(user=user, role=role, **fields).first()
    if existing is not None:
        raise ValidationError("Эта роль уже назначена.")
    assignment = RoleAssignment(user=user, role=role, **fields)
    assignment.full_clean()
    with acting_as(acting_user):
        assignment.save()
    return assignment


@transaction.atomic
def role_revoke(*, acting_user: User, assignment: RoleAssignment, target: RoleTarget) -> None:
    """Take a role away; `target` is the assignment's scope with the levels above it."""
    if target.scope_fields() != {
        "region_id": assignment.region_id,
        "municipality_id": assignment.municipality_id,
        "organisation_id": assignment.organisation_id,
    }:
        raise ValidationError("Роль назначена в другом месте.")
    require_grant_role(acting_user, assignment.role, target)
    with acting_as(acting_user):
        assignment.delete()


# Letters and digits that cannot be misread on paper (no O/0, I/1/L).
SLIP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SLIP_CODE_LENGTH = 10


@dataclass(frozen=True)
class NewAccount:
    username: str
    last_name: str
    first_name: str
    middle_name: str = ""
    email: str = ""
    # (role, organisation id) pairs to assign.
    roles: tuple[tuple[str, int], ...] = ()


def _digest(secret: str) -> str:
    # Keyed with SECRET_KEY: a copy of the database alone does not let anyone try codes offline.
    return salted_hmac("nastavnik.accounts.AccessCode", secret, algorithm="sha256").hexdigest()


def normalise_slip_code(code: str) -> str:
    return "".join(char for char in code.upper() if char.isalnum())


def format_slip_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def _new_secret(kind: str) -> str:
    if kind == AccessCodeKind.INVITATION:
        return secrets.token_urlsafe(32)
    return "".join(secrets.choice(SLIP_ALPHABET) for _ in range(SLIP_CODE_LENGTH))


def _lifetime(kind: str) -> dt.timedelta:
    if kind == AccessCodeKind.INVITATION:
        return dt.timedelta(days=settings.ACCOUNT_INVITATION_DAYS)
    return dt.timedelta(days=settings.ACCOUNT_SLIP_DAYS)


def _created_changes(user: User) -> dict[str, list[object]]:
    return {"username": [None, user.username], "is_active": [None, "True"]}


def accounts_create(*, acting_user: User, accounts: Sequence[NewAccount]) -> list[User]:
    """Create accounts without a usable password (their owners set one with a code), with their
    roles, in a fixed number of queries; audited as one row per account and per role."""
    users = []
    for spec in accounts:
        user = User(
            username=spec.username,
            last_name=spec.last_name,
            first_name=spec.first_name,
            middle_name=spec.middle_name,
            email=spec.email,
            must_set_password=True,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"], validate_unique=False)
        users.append(user)
    with transaction.atomic(), acting_as(acting_user):
        User.objects.bulk_create(users)
        assignments = [
            RoleAssignment(user=user, role=role, organisation_id=organisation_id)
            for user, spec in zip(users, accounts, strict=True)
            for role, organisation_id in spec.roles
        ]
        RoleAssignment.objects.bulk_create(assignments)
        log_bulk(users, action=LogEntry.Action.CREATE, changes=_created_changes)  # type: ignore[arg-type]
        log_bulk(
            assignments,
            action=LogEntry.Action.CREATE,
            changes=lambda a: {"role": [None, a.role], "user": [None, str(a.user)]},  # type: ignore[attr-defined]
            describe=lambda a: f"{a.get_role_display()}: {a.user}",  # type: ignore[attr-defined]
        )
    return users


def role_ensure(*, acting_user: User, user: User, role: Role | str, organisation_id: int) -> None:
    """Give an account a participant's role in an organisation unless it has it already."""
    with transaction.atomic(), acting_as(acting_user):
        if not RoleAssignment.objects.filter(user=user, role=role, organisation_id=organisation_id).exists():
            RoleAssignment.objects.create(user=user, role=role, organisation_id=organisation_id)


def access_codes_issue(*, acting_user: User, users: Sequence[User], kind: str) -> dict[int, str]:
    """New one-time secrets for these users (the older unused ones stop working): user id → the
    secret, which is shown or sent once and never stored."""
    now = timezone.now()
    secrets_by_user = {user.pk: _new_secret(kind) for user in users}
    codes = [
        AccessCode(
            user=user,
            kind=kind,
            secret_hash=_digest(secrets_by_user[user.pk]),
            created_by=acting_user if acting_user.is_authenticated else None,
            expires_at=now + _lifetime(kind),
        )
        for user in users
    ]
    with transaction.atomic(), acting_as(acting_user):
        _revoke_unused(users, now)
        AccessCode.objects.bulk_create(codes)
    return secrets_by_user


def _revoke_unused(users: Iterable[User], now: dt.datetime) -> None:
    AccessCode.objects.filter(
        user__in=[u.pk for u in users], used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)


def _valid_codes(now: dt.datetime) -> Q:
    return Q(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


def invitation_find(token: str) -> AccessCode | None:
    """The unused, unexpired invitation (or reset) link with this token, if any."""
    if not token:
        return None
    return (
        AccessCode.objects.filter(_valid_codes(timezone.now()), secret_hash=_digest(token))
        .exclude(kind=AccessCodeKind.SLIP)
        .select_related("user")
        .first()
    )


def _spend(code: AccessCode, now: dt.datetime) -> bool:
    """Mark the code used; False if someone used it a moment before (it works once)."""
    return bool(AccessCode.objects.filter(pk=code.pk, used_at__isnull=True).update(used_at=now))


def slip_code_redeem(*, username: str, code: str) -> User | None:
    """The account a login slip's code opens (the code is spent), or None."""
    secret = normalise_slip_code(code)
    if not username or len(secret) != SLIP_CODE_LENGTH:
        return None
    now = timezone.now()
    found = (
        AccessCode.objects.filter(
            _valid_codes(now),
            kind__in=[AccessCodeKind.SLIP, AccessCodeKind.RESET],
            secret_hash=_digest(secret),
            user__username=username.strip(),
        )
        .select_related("user")
        .first()
    )
    if found is None or not _spend(found, now):
        return None
    user = found.user
    if not user.must_set_password:
        # A new slip replaces a forgotten password: its owner sets a new one first.
        user.must_set_password = True
        user.save(update_fields=["must_set_password"])
    return user


def _set_password(user: User, password: str) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.must_set_password = False
    user.save(update_fields=["password", "must_set_password"])
    _revoke_unused([user], timezone.now())


def invitation_accept(*, token: str, password: str) -> User:
    """Set the first password with an invitation link; the link is spent."""
    code = invitation_find(token)
    if code is None:
        raise ValidationError("Ссылка недействительна: она уже использована или её срок истёк.")
    user = code.user
    with transaction.atomic(), acting_as(user):
        if not _spend(code, timezone.now()):
            raise ValidationError("Ссылка уже использована.")
        _set_password(user, password)
    return user


def password_set_own(*, acting_user: User, password: str) -> User:
    """The owner sets their own password (first login after a slip)."""
    with transaction.atomic(), acting_as(acting_user):
        _set_password(acting_user, password)
    return acting_user


def account_deactivate(*, acting_user: User | None, user: User) -> User:
    """Switch an account off (its sessions end with it) and cancel its unused codes."""
    if not user.is_active:
        return user
    user.is_active = False
    with transaction.atomic(), acting_as(acting_user):
        user.save(update_fields=["is_active"])
        _revoke_unused([user], timezone.now())
    return user


def account_reactivate(*, acting_user: User, user: User) -> User:
    if user.is_active:
        return user
    user.is_active = True
    with transaction.atomic(), acting_as(acting_user):
        user.save(update_fields=["is_active"])
    return user


def invitations_send(*, invitations: Sequence[tuple[User, str]], site_url: str) -> int:
    """E-mail each (user, token) its one-time link to set a password, over one connection."""
    messages = []
    for user, token in invitations:
        context = {
            "user": user,
            "link": site_url.rstrip("/") + reverse("invitation", args=[token]),
            "days": settings.ACCOUNT_INVITATION_DAYS,
        }
        messages.append(
            EmailMessage(
                subject="Приглашение в «Наставник»",
                body=render_to_string("accounts/invitation_email.txt", context),
                to=[user.email],
            )
        )
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
