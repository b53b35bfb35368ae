"""Items of the readiness check that the data cannot tell (or not yet): ticked by hand by the
organisation's administration, with a note (e.g. «Положение утверждено приказом № 45 от 01.09»)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from nastavnik.orgs.models import Organisation


class TickedItem(models.TextChoices):
    """The items of the check that may be ticked by hand (`items.ITEMS` marks them `manual`)."""

    REGULATION = "regulation", "Принято Положение о наставничестве"
    TRAINING = "training", "Наставники прошли обучение"


class ManualTick(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="readiness_ticks"
    )
    code = models.CharField("пункт проверки", max_length=40, choices=TickedItem.choices)
    done = models.BooleanField("выполнено", default=True)
    note = models.CharField("основание (документ, дата)", max_length=300, blank=True)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="отметил(а)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ticked_at = models.DateTimeField("отмечено", auto_now=True)

    class Meta:
        verbose_name = "отметка готовности"
        verbose_name_plural = "отметки готовности"
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="readiness_tick_once")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_code_display()}"
