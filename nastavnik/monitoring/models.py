"""Target indicators (целевые показатели) and their yearly target values.

An indicator is a formula over the registry, not a number typed in: a population of people
(learners, teachers, program participants), filters on it (age at the date, a category, young
teachers), what makes a person count in the numerator (a mentee, a mentor, a valid consent) and
what the denominator is. The engine in `indicators.py` turns these fields into SQL. Built-ins
come from the seeds' roadmaps and the methodology (data migration); a region may add its own.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from nastavnik.orgs.models import Municipality, Organisation, Region
from nastavnik.registry.models import Category


class Population(models.TextChoices):
    LEARNERS = "learners", "Обучающиеся (школьники и студенты)"
    TEACHERS = "teachers", "Педагоги"
    EVERYONE = "everyone", "Все участники базы (кроме родителей)"
    PARTICIPANTS = "participants", "Участники программ учебного года"
    SATISFACTION_RESPONDENTS = (
        "satisfaction",
        "Ответившие на анкеты удовлетворённости учебного года",
    )
    PLAN_HOLDERS = "plans", "Наставляемые, у пар которых есть утверждённый индивидуальный план"
    MENTORS = "mentors", "Наставники программ учебного года"
    CURATORS = "curators", "Кураторы программ (с карточкой в базе)"


class Numerator(models.TextChoices):
    MENTEES = "mentees", "в роли наставляемого"
    MENTORS = "mentors", "в роли наставника"
    ANY_ROLE = "any_role", "в любой роли (охвачены наставничеством)"
    CONSENT = "consent", "с действующим согласием на обработку ПДн"
    SATISFIED = "satisfied", "удовлетворённые программой (средняя оценка 7 и выше из 10)"
    PLAN_FULFILLED = "plan_fulfilled", "индивидуальный план выполнен не менее чем на 90 %"
    TRAINED = "trained", "прошедшие обучение (курс завершён к дате)"


class Denominator(models.TextChoices):
    FILTERED = "filtered", "те же люди с учётом возраста, категории и стажа"
    POPULATION = "population", "вся совокупность (без фильтров по возрасту, категории и стажу)"
    NONE = "none", "нет: показатель — число человек"


class Indicator(models.Model):
    code = models.SlugField("код", max_length=60, unique=True)
    name = models.CharField("наименование показателя", max_length=400)
    short_name = models.CharField("кратко", max_length=120)
    aliases = models.TextField(
        "другие формулировки",
        blank=True,
        help_text="По одной в строке: как показатель называют в дорожных картах (для вставки таблицы).",
    )
    population = models.CharField("совокупность", max_length=20, choices=Population.choices)
    age_min = models.PositiveSmallIntegerField("возраст от (лет, на дату)", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(
        "возраст до (лет включительно, на дату)", null=True, blank=True
    )
    category = models.ForeignKey(
        Category, verbose_name="категория", null=True, blank=True, on_delete=models.PROTECT
    )
    young_only = models.BooleanField(
        "только молодые специалисты",
        default=False,
        help_text="Педагоги со стажем не больше указанного или отмеченные как молодые специалисты.",
    )
    young_max_experience = models.PositiveSmallIntegerField("стаж молодого специалиста, лет", default=3)
    numerator = models.CharField("кого считаем", max_length=20, choices=Numerator.choices)
    denominator = models.CharField("от кого (знаменатель)", max_length=20, choices=Denominator.choices)
    is_builtin = models.BooleanField("встроенный", default=False, editable=False)
    is_active = models.BooleanField("показывать на панелях", default=True)
    sort_order = models.PositiveSmallIntegerField("порядок", default=100)

    class Meta:
        verbose_name = "целевой показатель"
        verbose_name_plural = "целевые показатели"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_share(self) -> bool:
        return self.denominator != Denominator.NONE

    @property
    def unit(self) -> str:
        return "%" if self.is_share else "чел."

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            errors["age_max"] = "Верхняя граница возраста меньше нижней."
        if self.young_only and self.population != Population.TEACHERS:
            errors["young_only"] = "Молодые специалисты бывают только среди педагогов."
        if self.numerator == Numerator.CONSENT and self.denominator == Denominator.NONE:
            errors["denominator"] = "Охват согласиями — это доля: укажите знаменатель."
        if (self.numerator == Numerator.SATISFIED) != (
            self.population == Population.SATISFACTION_RESPONDENTS
        ):
            errors["numerator"] = (
                "Удовлетворённость считается только среди ответивших на анкеты удовлетворённости, "
                "а среди них — только удовлетворённость."
            )
        if (self.numerator == Numerator.PLAN_FULFILLED) != (self.population == Population.PLAN_HOLDERS):
            errors["numerator"] = (
                "Выполнение планов считается только среди наставляемых с утверждённым планом, "
                "а среди них — только выполнение планов."
            )
        if errors:
            raise ValidationError(errors)


class IndicatorTarget(models.Model):
    """The target value of an indicator for a calendar year, set by an organisation, a
    municipality or a region (as in their roadmap: «2021 год — 12,5 %, 2024 год — 15 %»)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField("год")
    value = models.DecimalField(
        "целевое значение", max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="indicator_targets"
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.CASCADE, related_name="indicator_targets"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="indicator_targets"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "целевое значение показателя"
        verbose_name_plural = "целевые значения показателей"
        ordering = ["indicator__sort_order", "year"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organisation__isnull=False, municipality__isnull=True, region__isnull=True)
                    | models.Q(organisation__isnull=True, municipality__isnull=False, region__isnull=True)
                    | models.Q(organisation__isnull=True, municipality__isnull=True, region__isnull=False)
                ),
                name="indicator_target_exactly_one_scope",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="indicator_target_unique_for_organisation",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "municipality"],
                condition=models.Q(municipality__isnull=False),
                name="indicator_target_unique_for_municipality",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "region"],
                condition=models.Q(region__isnull=False),
                name="indicator_target_unique_for_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.short_name}, {self.year}: {self.value}"

    def clean(self) -> None:
        if not 2000 <= self.year <= 2100:
            raise ValidationError({"year": "Укажите календарный год, например 2026."})
        if self.indicator_id and self.indicator.is_share and self.value > 100:
            raise ValidationError({"value": "Доля не может быть больше 100 %."})


class IndicatorSnapshot(models.Model):
    """An indicator's value for one organisation on one day, computed ahead (`snapshots.py`):
    dashboards of a municipality or a region sum them instead of counting every person per
    request. A derived figure, recomputed at will: not audited."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="показатель", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("дата")
    numerator = models.PositiveIntegerField("числитель")
    denominator = models.PositiveIntegerField("знаменатель", null=True, blank=True)
    computed_at = models.DateTimeField("вычислено")

    class Meta:
        verbose_name = "значение показателя (вычисленное заранее)"
        verbose_name_plural = "значения показателей (вычисленные заранее)"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "organisation", "indicator"], name="indicator_snapshot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} · {self.organisation_id} · {self.day:%d.%m.%Y}"


class StatisticsSnapshot(models.Model):
    """The participant statistics of one organisation on one day, computed ahead with its
    indicators (`snapshots.py`): mentees and mentors by kind, form and category, and the
    program's participants by role and status, as numbers of people (summable: a person belongs
    to one organisation). A derived figure: not audited."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("дата")
    data = models.JSONField("числа участников", default=dict)
    computed_at = models.DateTimeField("вычислено")

    class Meta:
        verbose_name = "сведения об участниках (вычисленные заранее)"
        verbose_name_plural = "сведения об участниках (вычисленные заранее)"
        constraints = [
            models.UniqueConstraint(fields=["day", "organisation"], name="statistics_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.day:%d.%m.%Y}"


class MunicipalitySnapshot(models.Model):
    """A municipality's stored values of one day added up (`rollups.py`): its indicators, how
    many of its organisations are behind their targets on each, and its participant statistics.
    A region's dashboard reads one row per municipality instead of every organisation's values.
    A derived figure, recomputed with the organisations' values: not audited."""

    municipality = models.ForeignKey(
        Municipality, verbose_name="муниципалитет", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("дата")
    data = models.JSONField("сложенные значения", default=dict)
    computed_at = models.DateTimeField("вычислено (самое раннее из значений организаций)")

    class Meta:
        verbose_name = "значения муниципалитета (сложенные заранее)"
        verbose_name_plural = "значения муниципалитетов (сложенные заранее)"
        constraints = [
            models.UniqueConstraint(fields=["day", "municipality"], name="municipality_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} · {self.day:%d.%m.%Y}"
