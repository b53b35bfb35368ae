"""Accounts and the roles that scope them to a region, municipality or organisation."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class User(AbstractUser):
    middle_name = models.CharField("отчество", max_length=150, blank=True)
    # An account made for a person of the registry starts without a password of its owner: until
    # they set one (after an invitation link or a login slip), every page leads to «Задайте пароль».
    # Accounts made by hand or by the demo are not affected (False by default).
    must_set_password = models.BooleanField("должен задать свой пароль", default=False)

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    def get_short_name(self) -> str:
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.middle_name) if part)
        return f"{self.last_name} {initials}".strip() or self.username


class Role(models.TextChoices):
    REGIONAL_CENTRE = "regional_centre", "Региональный наставнический центр"
    MUNICIPAL_CURATOR = "municipal_curator", "Муниципальный куратор"
    ORG_ADMIN = "org_admin", "Администрация организации"
    PROGRAM_CURATOR = "program_curator", "Куратор программы"
    SPECIALIST = "specialist", "Специалист (классный руководитель, психолог, соцпедагог)"
    MENTOR = "mentor", "Наставник"
    MENTEE = "mentee", "Наставляемый"
    PARENT = "parent", "Законный представитель"


# Which level of the hierarchy each role is attached to.
REGION_ROLES = frozenset({Role.REGIONAL_CENTRE})
MUNICIPALITY_ROLES = frozenset({Role.MUNICIPAL_CURATOR})
ORGANISATION_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.PROGRAM_CURATOR, Role.SPECIALIST, Role.MENTOR, Role.MENTEE, Role.PARENT}
)
# Roles that act on the registry of their scope (as opposed to participants who see themselves).
STAFF_ROLES = frozenset({Role.REGIONAL_CENTRE, Role.MUNICIPAL_CURATOR, Role.ORG_ADMIN, Role.PROGRAM_CURATOR})
# Roles that may change the registry of an organisation.
MANAGER_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_CURATOR})


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("роль", max_length=30, choices=Role.choices)
    region = models.ForeignKey("orgs.Region", null=True, blank=True, on_delete=models.CASCADE)
    municipality = models.ForeignKey("orgs.Municipality", null=True, blank=True, on_delete=models.CASCADE)
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = "роль пользователя"
        verbose_name_plural = "роли пользователей"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "municipality", "organisation"],
                name="role_assignment_unique",
            ),
            # Exactly one scope per assignment.
            models.CheckConstraint(
                condition=(
                    models.Q(region__isnull=False, municipality__isnull=True, organisation__isnull=True)
                    | models.Q(region__isnull=True, municipality__isnull=False, organisation__isnull=True)
                    | models.Q(region__isnull=True, municipality__isnull=True, organisation__isnull=False)
                ),
                name="role_assignment_exactly_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.scope}"

    def get_additional_data(self) -> dict[str, int]:
        """Kept with each audit entry, so that a revoked role is still found by its user."""
        return {"user_id": self.user_id}

    @property
    def scope(self) -> object:
        return self.organisation or self.municipality or self.region

    def clean(self) -> None:
        role = Role(self.role)
        if role in REGION_ROLES and not self.region_id:
            raise ValidationError("Роль регионального центра назначается на регион.")
        if role in MUNICIPALITY_ROLES and not self.municipality_id:
            raise ValidationError("Роль муниципального куратора назначается на муниципалитет.")
        if role in ORGANISATION_ROLES and not self.organisation_id:
            raise ValidationError("Эта роль назначается в организации.")


class AccessCodeKind(models.TextChoices):
    INVITATION = "invitation", "Приглашение по e-mail"
    SLIP = "slip", "Листок для входа"
    RESET = "reset", "Новый листок для входа (сброс пароля)"


class AccessCode(models.Model):
    """A one-time secret that lets a person into their account to set a password: the token of
    an e-mailed invitation link or the code printed on a login slip. Only its SHA-256 is stored;
    it expires and is spent on use (or when a newer one is issued)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_codes")
    kind = models.CharField("вид", max_length=20, choices=AccessCodeKind.choices)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("выдан", auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="кем выдан"
    )
    expires_at = models.DateTimeField("действует до")
    used_at = models.DateTimeField("использован", null=True, blank=True)
    revoked_at = models.DateTimeField("отменён", null=True, blank=True)

    class Meta:
        verbose_name = "одноразовый код входа"
        verbose_name_plural = "одноразовые коды входа"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "used_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user}"
