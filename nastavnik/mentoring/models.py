"""Mentoring pairs and groups of a program.

A pair is a group with one mentee: one mentor (a mentor's participation in the program) and
members who join and leave on given dates. Re-forming a pair closes one membership and opens
another, so the history of who was mentored by whom, and when, is never overwritten.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from nastavnik.base.names import person_name_in
from nastavnik.orgs.models import MentoringForm, Program
from nastavnik.registry.models import Participation, Person
from nastavnik.surveys.models import Campaign, Response


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
    result_summary = models.TextField("итоги работы пары (группы)", blank=True)
    continued_from = models.ForeignKey(
        "self",
        verbose_name="продолжение пары (группы) прошлого года",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continuations",
    )
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
        return f"{self.kind_label} наставника {person_name_in(self.mentor.person, 'gent', short=True)}"

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
        group = str(self.group)
        return f"{self.mentee.person.short_name} — {group[:1].lower()}{group[1:]}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    def clean(self) -> None:
        if self.left_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": "Дата выхода раньше даты включения в пару (группу)."})


# --- the individual plan (персонализированная программа наставничества) ---------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Черновик"
    SUBMITTED = "submitted", "На утверждении"
    APPROVED = "approved", "Утверждён"
    SUPERSEDED = "superseded", "Заменён новой редакцией"


class IndividualPlan(models.Model):
    """One revision of a pair's (group's) individual plan. The mentor drafts it, the curator
    approves it; an approved revision changes only by ticking its tasks or by a new revision.
    `is_current` marks the revision progress is measured on: the first one until a later
    revision is approved."""

    group = models.ForeignKey(MentoringGroup, on_delete=models.CASCADE, related_name="plans")
    revision = models.PositiveSmallIntegerField("редакция", default=1)
    status = models.CharField("статус", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    is_current = models.BooleanField("действующая редакция", default=True)
    title = models.CharField("название", max_length=300)
    template_key = models.CharField("шаблон", max_length=60, blank=True)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    change_note = models.CharField("что изменено в этой редакции", max_length=500, blank=True)
    curator_comment = models.TextField("замечания куратора", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField("отправлен на утверждение", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="утвердил(а)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("утверждён", null=True, blank=True)

    class Meta:
        verbose_name = "индивидуальный план (персонализированная программа)"
        verbose_name_plural = "индивидуальные планы"
        ordering = ["group", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["group", "revision"], name="plan_unique_revision"),
            models.UniqueConstraint(
                fields=["group"], condition=models.Q(is_current=True), name="plan_one_current_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (ред. {self.revision})"

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Окончание плана не может быть раньше начала."})


class PlanGoal(models.Model):
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField("№", default=1)
    title = models.CharField("цель", max_length=500)

    class Meta:
        verbose_name = "цель плана"
        verbose_name_plural = "цели плана"
        ordering = ["plan", "number", "pk"]

    def __str__(self) -> str:
        return self.title


class PlanTask(models.Model):
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="tasks")
    goal = models.ForeignKey(
        PlanGoal, verbose_name="цель", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    number = models.PositiveSmallIntegerField("№", default=1)
    title = models.CharField("задача", max_length=500)
    due_on = models.DateField("срок")
    expected_result = models.CharField("ожидаемый результат", max_length=500, blank=True)
    done = models.BooleanField("выполнено", default=False)
    done_on = models.DateField("выполнено", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result_note = models.CharField("что получилось", max_length=500, blank=True)
    # The task of the previous revision this one was copied from (its tick carries over).
    origin = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "задача плана"
        verbose_name_plural = "задачи плана"
        ordering = ["plan", "due_on", "number", "pk"]
        indexes = [models.Index(fields=["plan", "done", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.done and self.done_on is None:
            raise ValidationError({"done_on": "Укажите дату выполнения."})
        if not self.done and self.done_on is not None:
            raise ValidationError({"done_on": "У невыполненной задачи нет даты выполнения."})


# --- meetings of a pair or group -------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    """The methodology's sequence of meetings (Р-145, stage 6), in order."""

    INTRO = "intro", "Встреча-знакомство"
    TRIAL = "trial", "Пробная рабочая встреча"
    PLANNING = "planning", "Встреча-планирование"
    REGULAR = "regular", "Регулярная встреча"
    REFLECTIVE = "reflective", "Промежуточная рефлексивная встреча"
    FINAL = "final", "Итоговая встреча"


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", "Очно"
    ONLINE = "online", "Онлайн"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Запланирована"
    HELD = "held", "Состоялась"
    CANCELLED = "cancelled", "Отменена"


class Meeting(models.Model):
    group = models.ForeignKey(MentoringGroup, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField("вид встречи", max_length=20, choices=MeetingKind.choices)
    status = models.CharField(
        "статус", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    starts_at = models.DateTimeField("дата и время")
    duration_minutes = models.PositiveSmallIntegerField(
        "продолжительность, мин", default=45, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    format = models.CharField("формат", max_length=20, choices=MeetingFormat.choices, default="in_person")
    place = models.CharField("место или ссылка", max_length=300, blank=True)
    topic = models.CharField("тема", max_length=300)
    notes = models.TextField("заметки о встрече", blank=True)
    mentor_present = models.BooleanField("наставник присутствовал", default=True)
    mentor_reflection = models.TextField("рефлексия наставника", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Calendar feeds: a subscriber's copy is replaced when the sequence grows (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField("редакция для календарей", default=0)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "встреча пары (группы)"
        verbose_name_plural = "встречи пар (групп)"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["group", "status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.topic}"

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD


class MeetingAttendance(models.Model):
    """A mentee at a meeting: present or not, and the mentee's own short reflection."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    mentee = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="meeting_attendance")
    present = models.BooleanField("присутствовал(а)", null=True, blank=True)
    reflection = models.TextField("рефлексия наставляемого", blank=True)

    class Meta:
        verbose_name = "присутствие на встрече"
        verbose_name_plural = "присутствие на встречах"
        ordering = ["meeting", "mentee__person__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "mentee"], name="attendance_unique_mentee"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} на {self.meeting}"


class ReminderLog(models.Model):
    """A reminder sent about a meeting or a program event at a given time, so that the command
    that sends them can run again without repeating itself (a rescheduled one is reminded anew)."""

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        "ProgramEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField()
    email = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "отправленное напоминание о встрече"
        verbose_name_plural = "отправленные напоминания о встречах"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "starts_at", "email"],
                condition=models.Q(meeting__isnull=False),
                name="reminder_unique_meeting_time_email",
            ),
            models.UniqueConstraint(
                fields=["event", "starts_at", "email"],
                condition=models.Q(event__isnull=False),
                name="reminder_unique_event_time_email",
            ),
            models.CheckConstraint(
                condition=models.Q(meeting__isnull=False, event__isnull=True)
                | models.Q(meeting__isnull=True, event__isnull=False),
                name="reminder_meeting_or_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.starts_at:%d.%m.%Y %H:%M}"


# --- events of the whole program ------------------------------------------------------------------


class ProgramEventKind(models.TextChoices):
    NETWORKING = "networking", "Общая встреча наставников и наставляемых"
    FINAL_GAME = "final_game", "Итоговая встреча всех пар (деловая игра)"
    CEREMONY = "ceremony", "Торжественное мероприятие подведения итогов"
    OTHER = "other", "Другое мероприятие программы"


class ProgramEvent(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="program_events")
    kind = models.CharField("вид", max_length=20, choices=ProgramEventKind.choices)
    title = models.CharField("название", max_length=300)
    starts_at = models.DateTimeField("дата и время")
    duration_minutes = models.PositiveSmallIntegerField("продолжительность, мин", default=90)
    place = models.CharField("место", max_length=300, blank=True)
    description = models.TextField("описание", blank=True)
    # A cancelled event stays visible, marked «отменено», and counts in no reminders or shares.
    cancelled_at = models.DateTimeField("отменено", null=True, blank=True)
    cancel_reason = models.CharField("причина отмены", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sequence = models.PositiveIntegerField("редакция для календарей", default=0)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "мероприятие программы"
        verbose_name_plural = "мероприятия программы"
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class EventInvitation(models.Model):
    """Who is invited to a program event. `participation` is set for the program's mentors and
    mentees (they count in the share present); guests (parents, partners) have none."""

    event = models.ForeignKey(ProgramEvent, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="event_invitations")
    participation = models.ForeignKey(
        Participation, null=True, blank=True, on_delete=models.CASCADE, related_name="event_invitations"
    )
    attended = models.BooleanField("присутствовал(а)", null=True, blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "приглашение на мероприятие"
        verbose_name_plural = "приглашения на мероприятия"
        ordering = ["event", "person__last_name", "person__first_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="invitation_unique_person")]

    def __str__(self) -> str:
        return f"{self.person} → {self.event}"


class PreferenceCampaign(models.Model):
    """A campaign of the surveys app that is the preference questionnaire of a networking meeting:
    it goes to the program's mentors and mentees marked present, and its «choose and rank people»
    questions offer them (mentoring/services/preferences.py keeps the campaign's people in step with the
    attendance)."""

    event = models.ForeignKey(
        ProgramEvent,
        verbose_name="общая встреча",
        on_delete=models.PROTECT,
        related_name="preference_campaigns",
        limit_choices_to={"kind": ProgramEventKind.NETWORKING},
    )
    campaign = models.OneToOneField(
        Campaign, verbose_name="рассылка анкеты", on_delete=models.CASCADE, related_name="preference_of"
    )

    class Meta:
        verbose_name = "анкета предпочтений после общей встречи"
        verbose_name_plural = "анкеты предпочтений после общих встреч"

    def __str__(self) -> str:
        return f"{self.campaign} ← {self.event}"


# --- completion: the participants' feedback and the mentor's report -----------------------------


class PairStage(models.TextChoices):
    """Which questionnaire a pair member filled about their pair in «Мой кабинет»."""

    INTERIM = "interim", "Промежуточная"
    FINAL = "final", "Итоговая"


class PairFeedbackResponse(models.Model):
    """A satisfaction questionnaire (a response of the surveys app) that is the feedback of a pair
    member on this pair (group) at this stage, answered in «Мой кабинет» (pair_feedback.py)."""

    response = models.OneToOneField(
        Response, verbose_name="анкета", on_delete=models.CASCADE, related_name="pair_feedback"
    )
    group = models.ForeignKey(
        MentoringGroup,
        verbose_name="о работе пары (группы)",
        on_delete=models.CASCADE,
        related_name="feedback_responses",
    )
    stage = models.CharField("анкета пары", max_length=10, choices=PairStage.choices)

    class Meta:
        verbose_name = "анкета пары"
        verbose_name_plural = "анкеты пар"

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.group}"


class MentorReport(models.Model):
    """The mentor's analytic report on the pair's work (a form, filled once and then submitted)."""

    group = models.OneToOneField(MentoringGroup, on_delete=models.CASCADE, related_name="mentor_report")
    work_done = models.TextField("что сделано: встречи, задачи, мероприятия")
    mentee_progress = models.TextField("изменения у наставляемого: знания, навыки, результаты")
    difficulties = models.TextField("трудности и как они решались", blank=True)
    recommendations = models.TextField("рекомендации наставляемому и куратору", blank=True)
    recommend_continue = models.BooleanField("рекомендую продолжить работу в следующем году", default=False)
    submitted = models.BooleanField("сдан куратору", default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "аналитический отчёт наставника"
        verbose_name_plural = "аналитические отчёты наставников"

    def __str__(self) -> str:
        return f"Отчёт наставника: {self.group}"
