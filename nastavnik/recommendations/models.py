"""Address recommendations after monitoring (municipal roadmap, item 3.3): a municipality or a
region recommends something to one school or several, about lagging indicators or roadmap
events, with a due date; each school answers and marks what it did; the issuer records the
management decision. The indicator's value at the time of the recommendation is kept per school,
so the list shows whether it moved by the next check."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from nastavnik.monitoring.models import Indicator
from nastavnik.orgs.models import Municipality, Organisation, Region
from nastavnik.roadmaps.models import RoadmapEvent


class DecisionKind(models.TextChoices):
    TRAINING = "training", "Обучение кураторов и наставников"
    TARGETS = "targets", "Изменение целевых значений"
    SUPPORT = "support", "Методическая помощь организации"
    CONTROL = "control", "Постановка на контроль"
    RESOURCES = "resources", "Ресурсы: кадры, площадки, партнёры"
    OTHER = "other", "Другое решение"


class Recommendation(models.Model):
    municipality = models.ForeignKey(
        Municipality, verbose_name="муниципалитет", null=True, blank=True, on_delete=models.CASCADE
    )
    region = models.ForeignKey(Region, verbose_name="регион", null=True, blank=True, on_delete=models.CASCADE)
    title = models.CharField("рекомендация кратко", max_length=300)
    text = models.TextField("что рекомендовано сделать")
    due_on = models.DateField("срок")
    indicators = models.ManyToManyField(Indicator, verbose_name="отстающие показатели", blank=True)
    roadmap_events = models.ManyToManyField(
        RoadmapEvent, verbose_name="мероприятия дорожной карты", blank=True, related_name="+"
    )
    decision_kind = models.CharField(
        "управленческое решение", max_length=20, choices=DecisionKind.choices, blank=True
    )
    decision = models.TextField("содержание решения", blank=True)
    decided_on = models.DateField("дата решения", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="решение записал(а)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="автор",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)

    class Meta:
        verbose_name = "адресная рекомендация"
        verbose_name_plural = "адресные рекомендации"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(municipality__isnull=False, region__isnull=True)
                | models.Q(municipality__isnull=True, region__isnull=False),
                name="recommendation_one_issuer",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def issuer_name(self) -> str:
        return self.municipality.name if self.municipality_id else self.region.name  # type: ignore[union-attr]


class AddresseeStatus(models.TextChoices):
    SENT = "sent", "Направлена"
    ANSWERED = "answered", "Есть ответ"
    DONE = "done", "Выполнена"


class Addressee(models.Model):
    """One school a recommendation is addressed to, and its answer."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="addressees")
    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="recommendations"
    )
    status = models.CharField(
        "состояние", max_length=20, choices=AddresseeStatus.choices, default=AddresseeStatus.SENT
    )
    answer = models.TextField("ответ организации", blank=True)
    actions_done = models.TextField("что сделано", blank=True)
    answered_at = models.DateTimeField("ответ дан", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ответил(а)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "адресат рекомендации"
        verbose_name_plural = "адресаты рекомендаций"
        ordering = ["organisation__short_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "organisation"], name="recommendation_addressee_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.organisation}"


class Baseline(models.Model):
    """An indicator's value at the school when the recommendation was given."""

    addressee = models.ForeignKey(Addressee, on_delete=models.CASCADE, related_name="baselines")
    indicator = models.ForeignKey(
        Indicator, verbose_name="показатель", on_delete=models.CASCADE, related_name="+"
    )
    value = models.DecimalField(
        "значение при рекомендации", max_digits=9, decimal_places=1, null=True, blank=True
    )
    measured_on = models.DateField("на дату")

    class Meta:
        verbose_name = "значение показателя при рекомендации"
        verbose_name_plural = "значения показателей при рекомендации"
        constraints = [
            models.UniqueConstraint(fields=["addressee", "indicator"], name="recommendation_baseline_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"
