"""The mentor's path before the pairs: a candidate (self-application or nomination by the
curator or administration) → interviews (with a psychologist where invited) → admission, which
sets the registry participation to «допущен(а)»; a program's admission rules (training required);
the municipal base of mentors (a school proposes its admitted mentors, the municipality approves
or returns them) and network mentoring — a base mentor taking a mentee of another school.

How a mentor of school A joins a program of school B: a registry participation of the mentor's
person (who stays a person of school A) in school B's program, recorded here as a
`NetworkMentoring` «из муниципальной базы». Pairs, meetings and plans then work as for any mentor
of the program; the home school sees the load through the base entry."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from nastavnik.orgs.models import MentoringForm, Municipality, Program
from nastavnik.registry.models import Participation, Person


class CandidacyOrigin(models.TextChoices):
    APPLICATION = "application", "Заявка самого кандидата"
    NOMINATION = "nomination", "Выдвижение куратором или администрацией"


class CandidacyStatus(models.TextChoices):
    NEW = "new", "Заявка"
    INTERVIEW = "interview", "Назначено собеседование"
    POSTPONED = "postponed", "Решение отложено"
    REJECTED = "rejected", "Не допущен(а)"
    ADMITTED = "admitted", "Допущен(а)"


class Candidacy(models.Model):
    """A candidate mentor of a program: one per mentor participation."""

    participation = models.OneToOneField(
        Participation, verbose_name="участие в программе", on_delete=models.CASCADE, related_name="candidacy"
    )
    origin = models.CharField("как выдвинут(а)", max_length=20, choices=CandidacyOrigin.choices)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто выдвинул",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_on = models.DateField("дата заявки (выдвижения)")
    motivation = models.TextField("мотивация кандидата / основание выдвижения", blank=True)
    status = models.CharField(
        "статус", max_length=20, choices=CandidacyStatus.choices, default=CandidacyStatus.NEW
    )
    decided_on = models.DateField("дата решения", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто принял решение",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "кандидат в наставники"
        verbose_name_plural = "кандидаты в наставники"
        ordering = ["-submitted_on", "-pk"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.participation.person.short_name} — кандидат в наставники"


class InterviewOutcome(models.TextChoices):
    PLANNED = "", "Собеседование не проведено"
    ADMITTED = "admitted", "Допущен(а)"
    REJECTED = "rejected", "Не допущен(а)"
    POSTPONED = "postponed", "Отложено"


class Interview(models.Model):
    """An interview of a candidate. Its questions, notes and reason are read only by the curator
    and administration of the organisation and by those who held it (the psychologist)."""

    candidacy = models.ForeignKey(
        Candidacy, verbose_name="кандидат", on_delete=models.CASCADE, related_name="interviews"
    )
    held_on = models.DateField("дата собеседования")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто проводил",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    psychologist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="приглашённый психолог",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField("вопросы и заметки", blank=True)
    outcome = models.CharField(
        "итог", max_length=20, choices=InterviewOutcome.choices, default=InterviewOutcome.PLANNED, blank=True
    )
    reason = models.TextField("обоснование итога", blank=True)

    class Meta:
        verbose_name = "собеседование с кандидатом"
        verbose_name_plural = "собеседования с кандидатами"
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"Собеседование {self.held_on:%d.%m.%Y}"

    def clean(self) -> None:
        if (
            self.outcome in (InterviewOutcome.REJECTED, InterviewOutcome.POSTPONED)
            and not self.reason.strip()
        ):
            raise ValidationError(
                {"reason": "Укажите причину: почему кандидат не допущен или решение отложено."}
            )


class AdmissionRule(models.Model):
    """What a program requires for admitting a mentor (besides a successful interview)."""

    program = models.OneToOneField(
        Program, verbose_name="программа", on_delete=models.CASCADE, related_name="admission_rule"
    )
    requires_training = models.BooleanField("для допуска нужно пройденное обучение", default=False)
    forms = models.ManyToManyField(
        MentoringForm,
        verbose_name="только для форм",
        blank=True,
        help_text="Пусто — обучение нужно для всех форм программы.",
    )

    class Meta:
        verbose_name = "правило допуска наставников"
        verbose_name_plural = "правила допуска наставников"

    def __str__(self) -> str:
        return f"Правило допуска: {self.program}"


class BaseEntryStatus(models.TextChoices):
    PROPOSED = "proposed", "Предложен(а) школой"
    APPROVED = "approved", "Утверждён(а) в базе"
    RETURNED = "returned", "Возвращён(а) с замечанием"
    WITHDRAWN = "withdrawn", "Исключён(а) из базы"


class BaseEntry(models.Model):
    """A mentor in the municipal base of mentors (муниципальная база наставников)."""

    person = models.ForeignKey(
        Person, verbose_name="наставник", on_delete=models.CASCADE, related_name="mentor_base_entries"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name="муниципалитет", on_delete=models.CASCADE, related_name="+"
    )
    participation = models.ForeignKey(
        Participation,
        verbose_name="допуск в программе школы",
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.PositiveSmallIntegerField("всего наставляемых одновременно", default=2)
    status = models.CharField(
        "статус", max_length=20, choices=BaseEntryStatus.choices, default=BaseEntryStatus.PROPOSED
    )
    proposed_on = models.DateField("предложен(а)")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField("дата решения муниципалитета", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField("комментарий муниципалитета", blank=True)

    class Meta:
        verbose_name = "наставник муниципальной базы"
        verbose_name_plural = "муниципальная база наставников"
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "municipality"],
                condition=~models.Q(status="withdrawn"),
                name="mentors_base_entry_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.short_name} — база наставников ({self.municipality})"


class NetworkMentoring(models.Model):
    """A base mentor's participation in another school's program (сетевое наставничество)."""

    entry = models.ForeignKey(
        BaseEntry, verbose_name="запись базы", on_delete=models.PROTECT, related_name="network_participations"
    )
    participation = models.OneToOneField(
        Participation,
        verbose_name="участие в программе принимающей школы",
        on_delete=models.CASCADE,
        related_name="network_origin",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_on = models.DateField("запрошен(а) из базы")

    class Meta:
        verbose_name = "наставник из муниципальной базы"
        verbose_name_plural = "наставники из муниципальной базы"

    def __str__(self) -> str:
        return f"{self.participation} (из муниципальной базы)"
