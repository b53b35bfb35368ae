"""Training of mentors and curators (обучение наставников): courses offered at a level (the region's
centre or ЦНППМ, a municipality, a school), their sessions, who is enrolled, who attended which
session, who completed the course, and the certificates (удостоверения, сертификаты) with a private
scan.

A course belongs to exactly one level: a region, a municipality or an organisation. People are
registry people (a mentor or a curator of a school); a curator's person is the registry card linked
to their account."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from nastavnik.base.files import FileContentValidator, RandomName, private_storage
from nastavnik.orgs.models import Municipality, Organisation, Region
from nastavnik.registry.models import Person

SCAN_FORMATS = ("pdf", "jpeg", "png")


class Provider(models.TextChoices):
    REGIONAL_CENTRE = "regional_centre", "Региональный наставнический центр"
    CNPPM = "cnppm", "ЦНППМ"
    MUNICIPALITY = "municipality", "Муниципальный орган управления образованием"
    SCHOOL = "school", "Образовательная организация"
    PARTNER = "partner", "Организация-партнёр"


class CourseFormat(models.TextChoices):
    IN_PERSON = "in_person", "Очно"
    REMOTE = "remote", "Дистанционно"
    BLENDED = "blended", "Смешанно"


class Audience(models.TextChoices):
    MENTORS = "mentors", "Наставники"
    CURATORS = "curators", "Кураторы"
    BOTH = "both", "Наставники и кураторы"


class Course(models.Model):
    """A course, seminar or instructive meeting (инструктивно-методическое совещание)."""

    title = models.CharField("название", max_length=300)
    description = models.TextField("содержание", blank=True)
    provider = models.CharField("кто проводит", max_length=20, choices=Provider.choices)
    provider_name = models.CharField(
        "наименование проводящей организации",
        max_length=300,
        blank=True,
        help_text="Например, название партнёра или ЦНППМ региона.",
    )
    format = models.CharField("формат", max_length=20, choices=CourseFormat.choices)
    audience = models.CharField("для кого", max_length=20, choices=Audience.choices, default=Audience.BOTH)
    hours = models.DecimalField(
        "объём, часов", max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    # The level that offers the course: exactly one of the three.
    region = models.ForeignKey(
        Region, verbose_name="регион", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "курс обучения"
        verbose_name_plural = "курсы обучения"
        ordering = ["-starts_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(region__isnull=False, municipality__isnull=True, organisation__isnull=True)
                    | models.Q(region__isnull=True, municipality__isnull=False, organisation__isnull=True)
                    | models.Q(region__isnull=True, municipality__isnull=True, organisation__isnull=False)
                ),
                name="training_course_exactly_one_level",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def level_name(self) -> str:
        owner = self.organisation or self.municipality or self.region
        return str(owner) if owner is not None else ""

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Окончание курса не может быть раньше его начала."})


class TrainingSession(models.Model):
    """One session (занятие) of a course: its date, topic and length."""

    course = models.ForeignKey(Course, verbose_name="курс", on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("дата")
    topic = models.CharField("тема", max_length=300)
    hours = models.DecimalField(
        "часов", max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    place = models.CharField("место или ссылка", max_length=300, blank=True)

    class Meta:
        verbose_name = "занятие"
        verbose_name_plural = "занятия"
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on:%d.%m.%Y})"


class TraineeRole(models.TextChoices):
    MENTOR = "mentor", "Наставник"
    CURATOR = "curator", "Куратор"


class Enrolment(models.Model):
    """A person on a course: the hours attended (the sum over the sessions marked present) and
    whether and when they completed it."""

    course = models.ForeignKey(
        Course, verbose_name="курс", on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        Person, verbose_name="слушатель", on_delete=models.CASCADE, related_name="training_enrolments"
    )
    role = models.CharField("обучается как", max_length=10, choices=TraineeRole.choices)
    enrolled_on = models.DateField("записан(а)")
    hours_attended = models.DecimalField("посещено часов", max_digits=5, decimal_places=1, default=Decimal(0))
    completed_on = models.DateField("курс завершён", null=True, blank=True)

    class Meta:
        verbose_name = "запись на курс"
        verbose_name_plural = "записи на курсы"
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="training_enrolment_unique_person"),
        ]
        indexes = [models.Index(fields=["person", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.person.short_name} — {self.course}"

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None


class Attendance(models.Model):
    """A person was present at a session (no row: absent)."""

    session = models.ForeignKey(
        TrainingSession, verbose_name="занятие", on_delete=models.CASCADE, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name="слушатель", on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta:
        verbose_name = "посещение занятия"
        verbose_name_plural = "посещения занятий"
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="training_attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person.short_name} — {self.session}"


class Certificate(models.Model):
    """The document a completed course gives: its number, date and a private scan."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name="запись на курс", on_delete=models.CASCADE, related_name="certificate"
    )
    number = models.CharField("номер документа", max_length=60)
    issued_on = models.DateField("дата выдачи")
    scan = models.FileField(
        "скан документа",
        upload_to=RandomName("training"),
        storage=private_storage,
        blank=True,
        validators=[FileContentValidator(SCAN_FORMATS, "SCAN_UPLOAD_MAX_MB")],
    )

    class Meta:
        verbose_name = "документ об обучении"
        verbose_name_plural = "документы об обучении"
        ordering = ["-issued_on", "pk"]

    def __str__(self) -> str:
        return f"№ {self.number} от {self.issued_on:%d.%m.%Y}"
