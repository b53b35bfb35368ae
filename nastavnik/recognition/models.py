"""Recognition of mentors: the procedure for choosing the best mentor (criteria and weights, per
organisation or municipality), what the curator and the participants add to the data (the
curator's assessment, nominations), competitions, forms of encouragement, the orders that grant
them and the awards themselves."""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from nastavnik.base.files import FileContentValidator, RandomName, private_storage
from nastavnik.mentoring.models import MentoringGroup
from nastavnik.orgs.models import Municipality, Organisation, academic_year_label
from nastavnik.registry.models import Person

DIPLOMA_FORMATS = ("pdf", "jpeg", "png")
MAX_WEIGHT = 100


class CriterionCode(models.TextChoices):
    PAIRS_COMPLETED = "pairs_completed", "Завершённые пары и группы"
    PLANS_FULFILLED = "plans_fulfilled", "Выполненные индивидуальные планы"
    SATISFACTION = "satisfaction", "Удовлетворённость наставляемых"
    GROWTH = "growth", "Рост наставляемых (этап 2 мониторинга)"
    TRAINING = "training", "Обучение наставника"
    CURATOR_SCORE = "curator_score", "Оценка куратора"
    NOMINATIONS = "nominations", "Выдвижения участниками и коллегами"
    COMPETITIONS = "competitions", "Участие в конкурсах"


class Procedure(models.Model):
    """«Порядок выбора лучшего наставника» of an organisation or of a municipality: a school
    without its own uses its municipality's."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name="организация",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="best_mentor_procedure",
    )
    municipality = models.OneToOneField(
        Municipality,
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="best_mentor_procedure",
    )
    title = models.CharField("название", max_length=300, default="Порядок выбора лучшего наставника")
    approved_on = models.DateField("утверждён", null=True, blank=True)
    order_number = models.CharField("номер приказа об утверждении", max_length=40, blank=True)
    general_provisions = models.TextField("общие положения", blank=True)
    competition_target = models.PositiveSmallIntegerField(
        "целевое число участников региональных и всероссийских конкурсов", null=True, blank=True, default=5
    )
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "порядок выбора лучшего наставника"
        verbose_name_plural = "порядки выбора лучшего наставника"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organisation__isnull=False, municipality__isnull=True)
                    | models.Q(organisation__isnull=True, municipality__isnull=False)
                ),
                name="recognition_procedure_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.owner_name}"

    @property
    def owner_name(self) -> str:
        if self.organisation is not None:
            return self.organisation.short_name
        return self.municipality.name if self.municipality is not None else ""


class Criterion(models.Model):
    procedure = models.ForeignKey(
        Procedure, verbose_name="порядок", on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.CharField("критерий", max_length=30, choices=CriterionCode.choices)
    weight = models.PositiveSmallIntegerField(
        "вес (наибольший балл)", validators=[MinValueValidator(1), MaxValueValidator(MAX_WEIGHT)]
    )

    class Meta:
        verbose_name = "критерий выбора лучшего наставника"
        verbose_name_plural = "критерии выбора лучшего наставника"
        ordering = ["procedure", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "code"], name="recognition_criterion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.weight}"


class CuratorAssessment(models.Model):
    """The curator's score of a mentor's year (0–10), with the reason in words."""

    person = models.ForeignKey(
        Person, verbose_name="наставник", on_delete=models.CASCADE, related_name="curator_assessments"
    )
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)")
    score = models.PositiveSmallIntegerField(
        "оценка (0–10)", validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    comment = models.TextField("комментарий куратора")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="оценил(а)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_on = models.DateField("дата оценки")

    class Meta:
        verbose_name = "оценка наставника куратором"
        verbose_name_plural = "оценки наставников кураторами"
        constraints = [
            models.UniqueConstraint(fields=["person", "academic_year"], name="recognition_assessment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.score} ({academic_year_label(self.academic_year)})"


class NominatorRole(models.TextChoices):
    MENTEE = "mentee", "Наставляемый"
    PARENT = "parent", "Родитель наставляемого"
    COLLEAGUE = "colleague", "Коллега"
    ADMINISTRATION = "administration", "Администрация"


class Nomination(models.Model):
    """A participant or colleague puts a mentor forward as the best of the year."""

    person = models.ForeignKey(
        Person, verbose_name="наставник", on_delete=models.CASCADE, related_name="nominations"
    )
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)")
    nominator_name = models.CharField("кто выдвинул", max_length=200)
    nominator_role = models.CharField("кем приходится", max_length=20, choices=NominatorRole.choices)
    reason = models.TextField("за что")
    nominated_on = models.DateField("дата выдвижения")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="внёс(ла)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "выдвижение наставника"
        verbose_name_plural = "выдвижения наставников"
        ordering = ["-nominated_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.nominator_name}"


class CompetitionLevel(models.TextChoices):
    SCHOOL = "school", "Школьный"
    MUNICIPAL = "municipal", "Муниципальный"
    REGIONAL = "regional", "Региональный"
    FEDERAL = "federal", "Всероссийский"


class CompetitionResult(models.TextChoices):
    PARTICIPANT = "participant", "Участник"
    PRIZE = "prize", "Призёр"
    WINNER = "winner", "Победитель"


# Points of a competition for the «Участие в конкурсах» criterion: the level's points times the
# result's factor (a regional prize-winner: 3 × 2 = 6). Printed in the procedure.
LEVEL_POINTS = {
    CompetitionLevel.SCHOOL: 1,
    CompetitionLevel.MUNICIPAL: 2,
    CompetitionLevel.REGIONAL: 3,
    CompetitionLevel.FEDERAL: 4,
}
RESULT_FACTORS = {
    CompetitionResult.PARTICIPANT: 1,
    CompetitionResult.PRIZE: 2,
    CompetitionResult.WINNER: 3,
}
COUNTED_LEVELS = (CompetitionLevel.REGIONAL, CompetitionLevel.FEDERAL)


class CompetitionEntry(models.Model):
    """A mentor's (or a pair's) participation in a competition and its result."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.PROTECT, related_name="competition_entries"
    )
    mentor = models.ForeignKey(
        Person, verbose_name="наставник", on_delete=models.CASCADE, related_name="competition_entries"
    )
    group = models.ForeignKey(
        MentoringGroup,
        verbose_name="пара (группа)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="competition_entries",
    )
    title = models.CharField("конкурс", max_length=300)
    level = models.CharField("уровень", max_length=20, choices=CompetitionLevel.choices)
    held_on = models.DateField("дата")
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)", editable=False)
    result = models.CharField("результат", max_length=20, choices=CompetitionResult.choices)
    diploma = models.FileField(
        "скан диплома",
        upload_to=RandomName("diplomas"),
        storage=private_storage,
        blank=True,
        validators=[FileContentValidator(DIPLOMA_FORMATS, "SCAN_UPLOAD_MAX_MB")],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="внёс(ла)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "участие в конкурсе"
        verbose_name_plural = "участие в конкурсах"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "academic_year", "level"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_level_display()}): {self.get_result_display()}"

    @property
    def points(self) -> int:
        return LEVEL_POINTS[CompetitionLevel(self.level)] * RESULT_FACTORS[CompetitionResult(self.result)]


class CertificateKind(models.TextChoices):
    NONE = "none", "Без документа"
    LETTER = "letter", "Благодарственное письмо (книжная страница)"
    DIPLOMA = "diploma", "Почётная грамота (альбомная страница)"


class NameCase(models.TextChoices):
    DATIVE = "datv", "Дательный (кому?): «объявить благодарность Ивановой Марии Петровне»"
    ACCUSATIVE = "accs", "Винительный (кого?): «наградить Иванову Марию Петровну»"
    GENITIVE = "gent", "Родительный (кого? чего?): «поощрение Ивановой Марии Петровны»"


def amount_text(amount: Decimal | None) -> str:
    """A sum in roubles as Russian papers write it: 5 000; 1 250,50."""
    if amount is None:
        return ""
    whole = f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",")
    return whole[:-3] if whole.endswith(",00") else whole


CLAUSE_FIELDS = re.compile(r"\{(\w*)\}")
# The placeholders a school writes in a clause of its order: Russian, as the people typing them are.
NAME_FIELD = "ФИО"
AMOUNT_FIELD = "сумма"


class AwardKind(models.Model):
    """A form of encouragement («формы поощрений»): built-in ones (no organisation) and an
    organisation's own. `clause` is the point of the order, `{ФИО}` standing for the mentor's
    name in `name_case` and `{сумма}` for the sum of a material one."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="award_kinds",
    )
    name = models.CharField("форма поощрения", max_length=200)
    clause = models.CharField("пункт приказа", max_length=400)
    name_case = models.CharField("падеж ФИО в пункте", max_length=4, choices=NameCase.choices)
    is_material = models.BooleanField("материальное (с суммой)", default=False)
    certificate = models.CharField(
        "документ для награждённого",
        max_length=10,
        choices=CertificateKind.choices,
        default=CertificateKind.NONE,
    )
    sort_order = models.PositiveSmallIntegerField("порядок в списке", default=100)
    is_active = models.BooleanField("используется", default=True)

    class Meta:
        verbose_name = "форма поощрения"
        verbose_name_plural = "формы поощрений"
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="recognition_award_kind_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        fields = set(CLAUSE_FIELDS.findall(self.clause))
        if NAME_FIELD not in fields:
            raise ValidationError({"clause": "В пункте приказа должно быть место для ФИО: {ФИО}."})
        unknown = fields - {NAME_FIELD, AMOUNT_FIELD}
        if unknown:
            raise ValidationError({"clause": "В пункте приказа допустимы только {ФИО} и {сумма}."})
        if (AMOUNT_FIELD in fields) != self.is_material:
            raise ValidationError(
                {
                    "clause": "Сумма {сумма} бывает в пункте только у материального поощрения, и у него обязательна."
                }
            )


class AwardOrder(models.Model):
    """The head's order «О поощрении наставников» that grants the awards listed in it."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.PROTECT, related_name="award_orders"
    )
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)")
    number = models.CharField("номер приказа", max_length=40, blank=True)
    signed_on = models.DateField("дата приказа")
    title = models.CharField("заголовок", max_length=300, default="О поощрении наставников")
    preamble = models.TextField("основание (преамбула)", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="подготовил(а)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "приказ о поощрении наставников"
        verbose_name_plural = "приказы о поощрении наставников"
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        number = f"№ {self.number} " if self.number else ""
        return f"Приказ {number}от {self.signed_on:%d.%m.%Y} «{self.title}»"


class Award(models.Model):
    order = models.ForeignKey(
        AwardOrder, verbose_name="приказ", on_delete=models.CASCADE, related_name="awards"
    )
    person = models.ForeignKey(
        Person, verbose_name="наставник", on_delete=models.CASCADE, related_name="awards"
    )
    kind = models.ForeignKey(
        AwardKind, verbose_name="форма поощрения", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(
        "за что", max_length=400, default="за высокие результаты наставнической деятельности"
    )
    amount = models.DecimalField(
        "сумма, руб.",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = "поощрение наставника"
        verbose_name_plural = "поощрения наставников"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "person", "kind"], name="recognition_award_once_per_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.person}"

    @property
    def amount_label(self) -> str:
        return f"{amount_text(self.amount)} руб." if self.amount is not None else ""

    def clean(self) -> None:
        kind = self.kind if self.kind_id else None
        if kind is not None and kind.is_material and self.amount is None:
            raise ValidationError({"amount": f"Укажите сумму: «{kind.name}» — материальное поощрение."})
        if kind is not None and not kind.is_material and self.amount is not None:
            raise ValidationError({"amount": f"У поощрения «{kind.name}» суммы нет."})
