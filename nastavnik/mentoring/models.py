"""Mentoring pairs and groups of a program.

A pair is a group with one mentee: one mentor (a mentor's participation in the program) and
members who join and leave on given dates. Re-forming a pair closes one membership and opens
another, so the history of who was mentored by whom, and when, is never overwritten.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from nastavnik.orgs.models import MentoringForm, Program
from nastavnik.registry.models import Participation


class GroupStatus(models.TextChoices):
    ACTIVE = "active", "Работает"
    COMPLETED = "completed", "Завершена"
    CONTINUED = "continued", "Продолжена на следующий год"
    ENDED_EARLY = "ended_early", "Завершена досрочно"


# Statuses of a group whose work is over.
CLOSED_STATUSES = frozenset({GroupStatus.COMPLETED, GroupStatus.CONTINUED, GroupStatus.ENDED_EARLY})


class MentoringGroup(models.Model):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="mentoring_groups")
    form = models.ForeignKey(MentoringForm, verbose_name="форма наставничества", on_delete=models.PROTECT)
    mentor = models.ForeignKey(
        Participation, verbose_name="наставник", on_delete=models.PROTECT, related_name="mentored_groups"
    )
    status = models.CharField(
        "статус", max_length=20, choices=GroupStatus.choices, default=GroupStatus.ACTIVE
    )
    end_reason = models.CharField("причина досрочного завершения", max_length=300, blank=True)
    started_on = models.DateField("начало работы")
    ended_on = models.DateField("окончание работы", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "наставническая пара (группа)"
        verbose_name_plural = "наставнические пары (группы)"
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.kind_label} наставника {self.mentor.person.short_name}"

    @property
    def is_active(self) -> bool:
        return self.status == GroupStatus.ACTIVE

    @property
    def kind_label(self) -> str:
        """«Пара» or «Группа», by the current number of mentees (needs `current_members`)."""
        members = getattr(self, "current_members", None)
        if members is None:
            return "Пара (группа)"
        return "Группа" if len(members) > 1 else "Пара"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = "Окончание работы не может быть раньше начала."
        if self.status == GroupStatus.ACTIVE and self.ended_on:
            errors["ended_on"] = "У работающей пары (группы) нет даты окончания."
        if self.status in CLOSED_STATUSES and not self.ended_on:
            errors["ended_on"] = "Укажите дату окончания работы."
        if self.status == GroupStatus.ENDED_EARLY and not self.end_reason.strip():
            errors["end_reason"] = "Укажите причину досрочного завершения."
        if errors:
            raise ValidationError(errors)


class GroupMembership(models.Model):
    group = models.ForeignKey(MentoringGroup, on_delete=models.CASCADE, related_name="memberships")
    mentee = models.ForeignKey(
        Participation, verbose_name="наставляемый", on_delete=models.PROTECT, related_name="memberships"
    )
    joined_on = models.DateField("в паре (группе) с")
    left_on = models.DateField("вышел(а)", null=True, blank=True)
    leave_reason = models.CharField("причина выхода", max_length=300, blank=True)

    class Meta:
        verbose_name = "участие наставляемого в паре (группе)"
        verbose_name_plural = "участие наставляемых в парах (группах)"
        ordering = ["joined_on", "pk"]
        constraints = [
            # A mentee is in at most one working pair or group of a program at a time.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(left_on__isnull=True),
                name="membership_one_current_group_per_mentee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee.person.short_name} в {self.group}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    def clean(self) -> None:
        if self.left_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": "Дата выхода раньше даты включения в пару (группу)."})
