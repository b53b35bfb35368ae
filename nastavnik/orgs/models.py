"""Who belongs where: region → municipality → educational organisation, and the mentoring
programs an organisation runs for an academic year."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

# The eleven time zones of Russia (a school's "today" and deadlines are local to it).
TIMEZONE_CHOICES = [
    ("Europe/Kaliningrad", "Калининград (МСК−1)"),
    ("Europe/Moscow", "Москва (МСК)"),
    ("Europe/Samara", "Самара (МСК+1)"),
    ("Asia/Yekaterinburg", "Екатеринбург (МСК+2)"),
    ("Asia/Omsk", "Омск (МСК+3)"),
    ("Asia/Krasnoyarsk", "Красноярск (МСК+4)"),
    ("Asia/Irkutsk", "Иркутск (МСК+5)"),
    ("Asia/Yakutsk", "Якутск (МСК+6)"),
    ("Asia/Vladivostok", "Владивосток (МСК+7)"),
    ("Asia/Magadan", "Магадан (МСК+8)"),
    ("Asia/Kamchatka", "Камчатка (МСК+9)"),
]


class Region(models.Model):
    name = models.CharField("название", max_length=200, unique=True)
    code = models.CharField("код субъекта", max_length=10, blank=True)
    timezone = models.CharField(
        "часовой пояс", max_length=64, choices=TIMEZONE_CHOICES, default="Europe/Moscow"
    )

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField("название", max_length=200)
    education_authority = models.CharField("орган управления образованием", max_length=300, blank=True)

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "Общеобразовательная организация (школа)"
    COLLEGE = "college", "Профессиональная образовательная организация (СПО)"
    ADDITIONAL = "additional", "Организация дополнительного образования"
    PRESCHOOL = "preschool", "Дошкольная образовательная организация"
    PARTNER = "partner", "Организация-партнёр (предприятие, вуз, НКО)"
    OTHER = "other", "Иная организация"


class Organisation(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="organisations")
    kind = models.CharField(
        "тип", max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.SCHOOL
    )
    name = models.CharField("полное наименование", max_length=400)
    short_name = models.CharField("краткое наименование", max_length=150)
    address = models.CharField("адрес", max_length=300, blank=True)
    is_rural = models.BooleanField("в сельской местности", default=False)
    timezone = models.CharField(
        "часовой пояс", max_length=64, choices=TIMEZONE_CHOICES, default="Europe/Moscow"
    )
    head_name = models.CharField("руководитель (ФИО)", max_length=200, blank=True)
    head_position = models.CharField("должность руководителя", max_length=200, blank=True, default="Директор")

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


def academic_year_of(day: dt.date) -> int:
    """The starting calendar year of the academic year a date falls into (1 Sep – 31 Aug)."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(start_year: int) -> str:
    return f"{start_year}/{start_year + 1}"


class ProgramKind(models.TextChoices):
    STUDENTS = "students", "Наставничество обучающихся"
    TEACHERS = "teachers", "Наставничество педагогических работников"


class ParticipantKind(models.TextChoices):
    """Who can stand on either side of a form of mentoring (mirrors registry.PersonKind)."""

    STUDENT = "student", "Обучающийся"
    COLLEGE_STUDENT = "college_student", "Студент"
    TEACHER = "teacher", "Педагог"
    PARTNER_EMPLOYEE = "partner_employee", "Представитель работодателя"
    GRADUATE = "graduate", "Выпускник"
    PARENT = "parent", "Родитель"


class MentoringForm(models.Model):
    """A form of mentoring (ученик–ученик, учитель–учитель, …): reference data, not an enum.

    Built-in forms come from Р-145 and АЗ-1128/08; an organisation may add its own (its
    `organisation` is then set) and role variants hang under a form via `parent`.
    """

    code = models.SlugField("код", max_length=60)
    name = models.CharField("название", max_length=200)
    program_kind = models.CharField("вид программы", max_length=20, choices=ProgramKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="вариант формы",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="variants",
    )
    mentor_kind = models.CharField("кто наставник", max_length=30, choices=ParticipantKind.choices)
    mentee_kind = models.CharField("кто наставляемый", max_length=30, choices=ParticipantKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="собственная форма организации",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_forms",
    )
    description = models.TextField("описание", blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = "форма наставничества"
        verbose_name_plural = "формы наставничества"
        ordering = ["program_kind", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="mentoring_form_unique_code"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(organisation__isnull=True),
                name="mentoring_form_unique_builtin_code",
            ),
        ]

    def __str__(self) -> str:
        if self.parent is not None:
            return f"{self.parent.name}: {self.name}"
        return self.name


class Program(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programs")
    kind = models.CharField("вид программы", max_length=20, choices=ProgramKind.choices)
    title = models.CharField("название", max_length=300)
    academic_year = models.PositiveSmallIntegerField(
        "учебный год (год начала)", help_text="2026 означает 2026/2027 учебный год"
    )
    forms = models.ManyToManyField(MentoringForm, verbose_name="формы наставничества", blank=True)
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="куратор",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="curated_programs",
    )
    max_mentees_per_mentor = models.PositiveSmallIntegerField("наставляемых на одного наставника", default=3)
    admitted_mentors_only = models.BooleanField(
        "в подбор только допущенные наставники",
        default=False,
        help_text="Подбор пар предлагает только наставников, прошедших собеседование и допущенных.",
    )
    starts_on = models.DateField("начало", null=True, blank=True)
    ends_on = models.DateField("окончание", null=True, blank=True)
    # What the program's documents (Положение, the program itself) say; one item per line.
    goals = models.TextField("цель программы", blank=True)
    tasks = models.TextField("задачи программы", blank=True, help_text="Каждая задача с новой строки.")
    expected_results = models.TextField(
        "ожидаемые результаты", blank=True, help_text="Каждый результат с новой строки."
    )
    target_groups = models.TextField(
        "целевые группы", blank=True, help_text="Каждая группа наставляемых с новой строки."
    )

    class Meta:
        verbose_name = "программа наставничества"
        verbose_name_plural = "программы наставничества"
        ordering = ["-academic_year", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.academic_year_label})"

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip(" \t-•;") for line in text.splitlines() if line.strip(" \t-•;")]

    @property
    def task_list(self) -> list[str]:
        return self._lines(self.tasks)

    @property
    def expected_result_list(self) -> list[str]:
        return self._lines(self.expected_results)

    @property
    def target_group_list(self) -> list[str]:
        return self._lines(self.target_groups)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Окончание программы не может быть раньше её начала."})
        if not 2000 <= self.academic_year <= 2100:
            raise ValidationError({"academic_year": "Укажите год начала учебного года, например 2026."})
