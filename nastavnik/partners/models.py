"""Partner organisations of a school or a municipality (employers, НКО, universities, colleges,
cultural and sports institutions), the agreements signed with them, and the link of a partner's
employee (a registry person of kind «сотрудник организации-партнёра») to the partner; one of the
employees may be the partner's contact, who then sees his colleagues' pairs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from nastavnik.base.files import FileContentValidator, RandomName, private_storage
from nastavnik.orgs.models import Municipality, Organisation
from nastavnik.registry.models import Person

SCAN_FORMATS = ("pdf", "jpeg", "png")


class PartnerKind(models.TextChoices):
    EMPLOYER = "employer", "Предприятие (работодатель)"
    NGO = "ngo", "Некоммерческая организация (НКО)"
    UNIVERSITY = "university", "Вуз"
    COLLEGE = "college", "Колледж (СПО)"
    CULTURE = "culture", "Учреждение культуры"
    SPORTS = "sports", "Спортивная организация"
    OTHER = "other", "Иная организация"


def inn_checksum_ok(inn: str) -> bool:
    """The control digits of a Russian ИНН (10 digits: an organisation; 12: a person/ИП)."""

    def digit(weights: tuple[int, ...]) -> int:
        return sum(w * int(c) for w, c in zip(weights, inn, strict=False)) % 11 % 10

    if len(inn) == 10:
        return digit((2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(inn[9])
    if len(inn) == 12:
        return digit((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(inn[10]) and digit(
            (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
        ) == int(inn[11])
    return False


class Partner(models.Model):
    """A partner registered by a school (`owner_organisation`) or a municipality (`owner_municipality`)."""

    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name="партнёр организации",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partners",
    )
    owner_municipality = models.ForeignKey(
        Municipality,
        verbose_name="партнёр муниципалитета",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partners",
    )
    kind = models.CharField("вид организации", max_length=20, choices=PartnerKind.choices)
    name = models.CharField("наименование", max_length=400)
    inn = models.CharField(
        "ИНН",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^(\d{10}|\d{12})$", "ИНН — 10 цифр (организация) или 12 (ИП).")],
    )
    address = models.CharField("адрес", max_length=300, blank=True)
    contact_name = models.CharField("контактное лицо", max_length=200, blank=True)
    contact_phone = models.CharField("телефон", max_length=30, blank=True)
    contact_email = models.EmailField("e-mail", blank=True)
    notes = models.TextField("примечание", blank=True)
    # An organisation of the system marked «партнёр» before partners had their own register.
    organisation = models.OneToOneField(
        Organisation,
        verbose_name="организация в системе",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_record",
    )
    created_at = models.DateTimeField("внесён", auto_now_add=True)

    class Meta:
        verbose_name = "организация-партнёр"
        verbose_name_plural = "организации-партнёры"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_organisation__isnull=False, owner_municipality__isnull=True)
                | models.Q(owner_organisation__isnull=True, owner_municipality__isnull=False),
                name="partner_owned_by_organisation_or_municipality",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.inn and self.inn.isdigit() and len(self.inn) in (10, 12) and not inn_checksum_ok(self.inn):
            raise ValidationError({"inn": "ИНН с ошибкой: не сходится контрольная цифра."})

    @property
    def owner_name(self) -> str:
        owner = self.owner_organisation or self.owner_municipality
        return str(owner) if owner else ""


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Проект"
    ACTIVE = "active", "Действует"
    TERMINATED = "terminated", "Расторгнуто"


class Agreement(models.Model):
    partner = models.ForeignKey(
        Partner, verbose_name="партнёр", on_delete=models.CASCADE, related_name="agreements"
    )
    number = models.CharField("номер", max_length=50)
    signed_on = models.DateField("дата заключения")
    starts_on = models.DateField("действует с")
    ends_on = models.DateField("действует по", null=True, blank=True, help_text="Пусто — бессрочно.")
    subject = models.TextField("предмет соглашения")
    status = models.CharField(
        "статус", max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE
    )
    remind_days = models.PositiveSmallIntegerField("напомнить о продлении за, дней", default=30)
    scan = models.FileField(
        "скан соглашения",
        upload_to=RandomName("agreements"),
        storage=private_storage,
        blank=True,
        validators=[FileContentValidator(SCAN_FORMATS, "SCAN_UPLOAD_MAX_MB")],
    )
    # The end date the renewal reminder was last sent for (a prolonged agreement is reminded anew).
    reminded_for = models.DateField("напоминание отправлено о сроке", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="внес(ла)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    class Meta:
        verbose_name = "соглашение с партнёром"
        verbose_name_plural = "соглашения с партнёрами"
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"Соглашение № {self.number} от {self.signed_on:%d.%m.%Y}"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Окончание соглашения не может быть раньше начала."})

    def is_in_force(self, day: dt.date) -> bool:
        return (
            self.status == AgreementStatus.ACTIVE
            and self.starts_on <= day
            and (self.ends_on is None or self.ends_on >= day)
        )

    def renewal_due(self, day: dt.date) -> bool:
        return (
            self.status == AgreementStatus.ACTIVE
            and self.ends_on is not None
            and day <= self.ends_on <= day + dt.timedelta(days=self.remind_days)
        )

    def state_label(self, day: dt.date) -> str:
        if self.status == AgreementStatus.ACTIVE and self.ends_on and self.ends_on < day:
            return "Истекло"
        if self.status == AgreementStatus.ACTIVE and self.starts_on > day:
            return "Вступит в силу"
        return self.get_status_display()


class PartnerEmployee(models.Model):
    """A registry person who works for the partner; `is_contact` makes them the partner's contact."""

    partner = models.ForeignKey(
        Partner, verbose_name="партнёр", on_delete=models.CASCADE, related_name="employees"
    )
    person = models.OneToOneField(
        Person, verbose_name="сотрудник", on_delete=models.CASCADE, related_name="partner_employment"
    )
    is_contact = models.BooleanField("контактное лицо партнёра (видит пары своих сотрудников)", default=False)

    class Meta:
        verbose_name = "сотрудник партнёра"
        verbose_name_plural = "сотрудники партнёров"
        ordering = ["partner", "person__last_name", "person__first_name", "pk"]

    def __str__(self) -> str:
        return f"{self.person} ({self.partner})"
