"""A case of mentoring practice (кейс): the story of a completed pair or group — the request, the
form, what was done, the result and materials — written by its mentor or the curator, reviewed
school → municipality → region, and gathered into the region's bank of best practices and the
year's collection «Сборник лучших практик наставничества»."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from nastavnik.base.files import FileContentValidator, RandomName, private_storage
from nastavnik.mentoring.models import MentoringGroup
from nastavnik.orgs.models import MentoringForm, Organisation
from nastavnik.registry.models import Category


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "Черновик"
    SUBMITTED = "submitted", "На рассмотрении в организации"
    SCHOOL_ACCEPTED = "school_accepted", "Принят организацией, на рассмотрении в муниципалитете"
    MUNICIPALITY_ACCEPTED = "municipality_accepted", "Принят муниципалитетом, на рассмотрении в регионе"
    REGION_ACCEPTED = "region_accepted", "Принят региональным центром"
    RETURNED = "returned", "Возвращён на доработку"


class CaseLevel(models.TextChoices):
    """How far up the review a case has come (the bank's filter «уровень»)."""

    SCHOOL = "school", "Организация"
    MUNICIPALITY = "municipality", "Муниципалитет"
    REGION = "region", "Регион"


# The level each accepted status has reached.
LEVEL_OF_STATUS = {
    CaseStatus.SCHOOL_ACCEPTED: CaseLevel.SCHOOL,
    CaseStatus.MUNICIPALITY_ACCEPTED: CaseLevel.MUNICIPALITY,
    CaseStatus.REGION_ACCEPTED: CaseLevel.REGION,
}
STATUSES_OF_LEVEL = {
    CaseLevel.SCHOOL: (
        CaseStatus.SCHOOL_ACCEPTED,
        CaseStatus.MUNICIPALITY_ACCEPTED,
        CaseStatus.REGION_ACCEPTED,
    ),
    CaseLevel.MUNICIPALITY: (CaseStatus.MUNICIPALITY_ACCEPTED, CaseStatus.REGION_ACCEPTED),
    CaseLevel.REGION: (CaseStatus.REGION_ACCEPTED,),
}
EDITABLE_STATUSES = frozenset({CaseStatus.DRAFT, CaseStatus.RETURNED})


class Case(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.PROTECT, related_name="cases"
    )
    group = models.ForeignKey(
        MentoringGroup, verbose_name="пара (группа)", on_delete=models.PROTECT, related_name="cases"
    )
    form = models.ForeignKey(MentoringForm, verbose_name="форма наставничества", on_delete=models.PROTECT)
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)")
    mentee_category = models.ForeignKey(
        Category, verbose_name="категория наставляемых", null=True, blank=True, on_delete=models.SET_NULL
    )
    title = models.CharField("название кейса", max_length=300)
    topic = models.CharField(
        "тема", max_length=200, help_text="Например: адаптация, профориентация, успеваемость"
    )
    request = models.TextField("запрос наставляемого")
    work_done = models.TextField("что было сделано")
    result = models.TextField("результат")
    status = models.CharField("статус", max_length=30, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    review_comment = models.TextField("замечание при возврате", blank=True)
    # The public page: shown only once published; named only when everyone shown has consented to
    # dissemination (checked at publishing and again at every render), else anonymised.
    is_published = models.BooleanField("опубликован на странице «Наставничество»", default=False)
    published_on = models.DateField("опубликован", null=True, blank=True)
    anonymised = models.BooleanField("публикуется обезличенно", default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="автор", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Lower-cased title, topic and text («ё» as «е»): SQLite's LIKE folds only ASCII letters, so the
    # bank searches this key with `contains` (the registry's `search_text` does the same).
    search_text = models.TextField("текст для поиска", blank=True, editable=False)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "кейс наставнической практики"
        verbose_name_plural = "кейсы наставнических практик"
        ordering = ["-academic_year", "-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["status", "academic_year"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def level(self) -> str | None:
        level = LEVEL_OF_STATUS.get(CaseStatus(self.status))
        return level.value if level else None

    @property
    def level_label(self) -> str:
        level = LEVEL_OF_STATUS.get(CaseStatus(self.status))
        return level.label if level else "—"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def year_label(self) -> str:
        return f"{self.academic_year}/{self.academic_year + 1}"


MATERIAL_FORMATS = ("pdf", "docx", "xlsx", "pptx", "jpeg", "png")


class CaseMaterial(models.Model):
    """A file of the case (a plan, a presentation, a photo): private, served by an access-checked
    view to those who see the case; never published."""

    case = models.ForeignKey(Case, verbose_name="кейс", on_delete=models.CASCADE, related_name="materials")
    title = models.CharField("название", max_length=200)
    file = models.FileField(
        "файл",
        upload_to=RandomName("cases"),
        storage=private_storage,
        validators=[FileContentValidator(MATERIAL_FORMATS, "SCAN_UPLOAD_MAX_MB")],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="загрузил(а)",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)

    class Meta:
        verbose_name = "материал кейса"
        verbose_name_plural = "материалы кейсов"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", "Отправлен на рассмотрение"
    ACCEPT = "accept", "Принят"
    RETURN = "return", "Возвращён на доработку"
    PUBLISH = "publish", "Опубликован"
    UNPUBLISH = "unpublish", "Снят с публикации"


class CaseReview(models.Model):
    """One step of the case's way: who did what at which level, with the comment (the readable
    history the case page shows)."""

    case = models.ForeignKey(Case, verbose_name="кейс", on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField("действие", max_length=20, choices=ReviewAction.choices)
    level = models.CharField("уровень", max_length=20, choices=CaseLevel.choices)
    status_after = models.CharField("статус после", max_length=30, choices=CaseStatus.choices)
    comment = models.TextField("комментарий", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "шаг рассмотрения кейса"
        verbose_name_plural = "история рассмотрения кейсов"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.get_level_display()})"
