"""The documents a school adopts under the methodology: its own wording of each document's template
(a .docx for docxtpl) and the record that a document was adopted (date, order, signed scan)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from nastavnik.base.files import FileContentValidator, RandomName, private_storage
from nastavnik.orgs.models import Organisation, Program

SCAN_FORMATS = ("pdf", "jpeg", "png")


class DocumentKind(models.TextChoices):
    REGULATION = "regulation", "Положение о программе наставничества"
    MODEL_ORDER = "model_order", "Приказ о внедрении целевой модели наставничества и назначении куратора"
    ROADMAP_ORDER = "roadmap_order", "Приказ об утверждении дорожной карты"
    PROGRAM = "program", "Программа наставничества"
    PLAN = "plan", "Индивидуальный план (для подписи)"


# Documents that are adopted by the organisation (a plan is signed by its pair, not adopted).
ADOPTED_KINDS = (
    DocumentKind.REGULATION,
    DocumentKind.MODEL_ORDER,
    DocumentKind.ROADMAP_ORDER,
    DocumentKind.PROGRAM,
)


class CustomTemplate(models.Model):
    """An organisation's own wording of a document: a .docx with the same data fields."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="document_templates"
    )
    kind = models.CharField("документ", max_length=20, choices=DocumentKind.choices)
    file = models.FileField(
        "шаблон (.docx)",
        upload_to=RandomName("document_templates"),
        storage=private_storage,
        validators=[FileContentValidator(("docx",), "SCAN_UPLOAD_MAX_MB")],
    )
    original_name = models.CharField("имя загруженного файла", max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="загрузил(а)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("загружен", auto_now=True)

    class Meta:
        verbose_name = "шаблон документа организации"
        verbose_name_plural = "шаблоны документов организаций"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="custom_template_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()}"


class Adoption(models.Model):
    """A document adopted by the organisation: the date, the order number and the signed scan."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="adoptions"
    )
    kind = models.CharField("документ", max_length=20, choices=DocumentKind.choices)
    program = models.ForeignKey(
        Program,
        verbose_name="программа",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
    )
    adopted_on = models.DateField("дата принятия (утверждения)")
    order_number = models.CharField("номер приказа", max_length=50)
    scan = models.FileField(
        "подписанный скан",
        upload_to=RandomName("adopted_documents"),
        storage=private_storage,
        blank=True,
        validators=[FileContentValidator(SCAN_FORMATS, "SCAN_UPLOAD_MAX_MB")],
    )
    is_published = models.BooleanField("показывать на открытой странице «Наставничество»", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="внес(ла)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("внесено", auto_now_add=True)

    class Meta:
        verbose_name = "принятый документ"
        verbose_name_plural = "принятые документы"
        ordering = ["organisation", "kind", "-adopted_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "kind", "adopted_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (приказ № {self.order_number} от {self.adopted_on:%d.%m.%Y})"
