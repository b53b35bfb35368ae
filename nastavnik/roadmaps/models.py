"""Roadmaps (дорожные карты): sections and numbered events with deadlines, responsibles, status
and the result document. A roadmap belongs to an organisation (optionally to one of its programs)
or to a municipality, and covers an academic year or a multi-year period."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from nastavnik.base.files import FileContentValidator, RandomName, private_storage
from nastavnik.orgs.models import Municipality, Organisation, Program

from .deadlines import ParsedDeadline, Period


def _owner(model: type[models.Model], verbose_name: str) -> models.ForeignKey:
    """One of the roadmap's possible owners: optional, and never deleted from under a roadmap."""
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roadmaps",
    )


class Roadmap(models.Model):
    organisation = _owner(Organisation, "организация")
    program = _owner(Program, "программа")
    municipality = _owner(Municipality, "муниципалитет")
    title = models.CharField("название", max_length=600)
    period_start = models.DateField("начало периода")
    period_end = models.DateField("окончание периода")
    academic = models.BooleanField("учебные годы", default=True)
    approval_position = models.CharField("утверждает: должность", max_length=300, blank=True)
    approval_name = models.CharField("утверждает: ФИО", max_length=200, blank=True)
    approval_date = models.DateField("дата утверждения", null=True, blank=True)
    approval_text = models.TextField("гриф утверждения как написан", blank=True)
    approval_order = models.CharField("утверждена приказом №", max_length=100, blank=True)
    has_municipal_level = models.BooleanField("ответственные двух уровней", default=False)
    columns = models.JSONField("столбцы таблицы", default=list, blank=True)
    source_name = models.CharField("загружена из файла", max_length=300, blank=True)
    template_key = models.CharField("создана по шаблону", max_length=60, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name="предыдущая",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["-period_start", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organisation__isnull=False, municipality__isnull=True)
                    | models.Q(organisation__isnull=True, municipality__isnull=False, program__isnull=True)
                ),
                name="roadmap_belongs_to_organisation_or_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end, self.academic)

    @property
    def owner_name(self) -> str:
        if self.municipality_id:
            return str(self.municipality)
        if self.program is not None:
            return f"{self.organisation} · {self.program.title}"
        return str(self.organisation)

    def clean(self) -> None:
        if (
            self.program is not None
            and self.organisation_id
            and self.program.organisation_id != self.organisation_id
        ):
            raise ValidationError({"program": "Программа принадлежит другой организации."})
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "Окончание периода раньше его начала."})
        if bool(self.organisation_id) == bool(self.municipality_id):
            raise ValidationError("Дорожная карта принадлежит либо организации, либо муниципалитету.")


class RoadmapSection(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField("порядок")
    number = models.CharField("номер", max_length=20, blank=True)
    title = models.TextField("название раздела (этапа, направления)")
    deadline_text = models.CharField("сроки этапа", max_length=300, blank=True)

    class Meta:
        verbose_name = "раздел дорожной карты"
        verbose_name_plural = "разделы дорожной карты"
        ordering = ["roadmap", "position"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class Recurrence(models.TextChoices):
    ONCE = "once", "однократно"
    MONTHLY = "monthly", "ежемесячно"
    QUARTERLY = "quarterly", "ежеквартально"
    YEARLY = "yearly", "ежегодно"
    CONTINUOUS = "continuous", "постоянно"
    ON_DEMAND = "on_demand", "по мере необходимости"
    SEVERAL = "several", "несколько сроков"


class EventStatus(models.TextChoices):
    PLANNED = "planned", "запланировано"
    IN_PROGRESS = "in_progress", "выполняется"
    DONE = "done", "выполнено"
    OVERDUE = "overdue", "просрочено"
    CANCELLED = "cancelled", "отменено"


# «Просрочено» is never stored: it is what a planned or running event becomes when its due date
# passes, computed against the organisation's «today» (see selectors.event_states).
STORED_STATUSES = (EventStatus.PLANNED, EventStatus.IN_PROGRESS, EventStatus.DONE, EventStatus.CANCELLED)

# Checked by their bytes (nastavnik.base.files), not by the extension alone.
RESULT_FORMATS = ("pdf", "docx", "xlsx", "doc", "xls", "odt", "ods", "jpeg", "png", "zip", "txt")
RESULT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg", "jpeg", "png", "zip", "txt"]


def result_file_field() -> models.FileField:
    """The document that proves an event done: private, under a random name, checked by content."""
    return models.FileField(
        "документ-результат",
        upload_to=RandomName("roadmaps/results"),
        storage=private_storage,
        blank=True,
        validators=[FileContentValidator(RESULT_FORMATS, "SCAN_UPLOAD_MAX_MB")],
    )


def result_link_field() -> models.URLField:
    return models.URLField("ссылка на результат", max_length=500, blank=True)


class RoadmapEvent(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="events")
    section = models.ForeignKey(
        RoadmapSection, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    position = models.PositiveIntegerField("порядок")
    number = models.CharField("номер", max_length=20, blank=True)
    title = models.TextField("мероприятие")
    content = models.TextField("содержание", blank=True)
    deadline_text = models.CharField("срок как написан", max_length=300, blank=True)
    starts_on = models.DateField("начало", null=True, blank=True)
    ends_on = models.DateField("срок", null=True, blank=True)
    recurrence = models.CharField(
        "повторение", max_length=20, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    day_of_month = models.PositiveSmallIntegerField("до какого числа месяца", null=True, blank=True)
    repeat_until = models.DateField("повторять до", null=True, blank=True)
    windows = models.JSONField(
        "сроки вхождений, перечисленные в документе", default=list, blank=True,
        help_text="«декабрь, май», «октябрь 2021, далее ежегодно в сентябре»: [[начало, срок], …]",
    )  # fmt: skip
    deadline_understood = models.BooleanField("срок распознан", default=True)
    deadline_note = models.CharField("примечание к сроку", max_length=500, blank=True)
    expected_result = models.TextField("ожидаемый результат", blank=True)
    indicator = models.TextField("показатель эффективности", blank=True)
    notes = models.TextField("примечание", blank=True)
    status = models.CharField(
        "статус",
        max_length=20,
        choices=[(s.value, s.label) for s in STORED_STATUSES],
        default=EventStatus.PLANNED,
    )
    done_on = models.DateField("выполнено", null=True, blank=True)
    result_file = result_file_field()
    result_link = result_link_field()
    schools_carry_out = models.BooleanField(
        "выполняют школы",
        null=True,
        blank=True,
        help_text="Пусто — по ответственным: мероприятие выполняет каждая школа, если среди них есть ОО.",
    )

    class Meta:
        verbose_name = "мероприятие дорожной карты"
        verbose_name_plural = "мероприятия дорожной карты"
        ordering = ["roadmap", "position"]
        indexes = [models.Index(fields=["roadmap", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def parsed_deadline(self) -> ParsedDeadline:
        return ParsedDeadline(
            text=self.deadline_text,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            recurrence=self.recurrence,  # type: ignore[arg-type]
            understood=self.deadline_understood,
            note=self.deadline_note,
            day_of_month=self.day_of_month,
            repeat_until=self.repeat_until,
            windows=tuple(
                (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
                for start, end in self.windows or ()
            ),
        )

    @property
    def is_recurring(self) -> bool:
        return self.recurrence in (
            Recurrence.MONTHLY, Recurrence.QUARTERLY, Recurrence.YEARLY, Recurrence.SEVERAL,
        )  # fmt: skip

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Срок окончания раньше начала."})
        if self.status == EventStatus.DONE and not self.is_recurring and not self.done_on:
            raise ValidationError({"done_on": "Укажите дату выполнения."})
        if self.section is not None and self.section.roadmap_id != self.roadmap_id:
            raise ValidationError({"section": "Раздел из другой дорожной карты."})


class ResponsibleLevel(models.TextChoices):
    ANY = "", "—"
    MUNICIPAL = "municipal", "муниципальный уровень"
    ORGANISATION = "organisation", "образовательная организация"


class EventResponsible(models.Model):
    """A responsible as written («Куратор программы», «Т.В. Демакова, заместитель директора»),
    linked to a person of the registry when one was recognised."""

    event = models.ForeignKey(RoadmapEvent, on_delete=models.CASCADE, related_name="responsibles")
    position = models.PositiveSmallIntegerField("порядок", default=0)
    text = models.CharField("ответственный", max_length=500)
    level = models.CharField(
        "уровень", max_length=20, choices=ResponsibleLevel.choices, blank=True, default=""
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="участник из базы",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roadmap_responsibilities",
    )

    class Meta:
        verbose_name = "ответственный"
        verbose_name_plural = "ответственные"
        ordering = ["event", "position", "id"]

    def __str__(self) -> str:
        return self.text


class EventCompletion(models.Model):
    """One occurrence of an event marked done: a one-off event has one, a monthly one one per month."""

    event = models.ForeignKey(RoadmapEvent, on_delete=models.CASCADE, related_name="completions")
    due_on = models.DateField("срок вхождения")
    done_on = models.DateField("выполнено")
    result_file = result_file_field()
    result_link = result_link_field()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "выполнение мероприятия"
        verbose_name_plural = "выполнения мероприятий"
        ordering = ["event", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["event", "due_on"], name="event_completion_once_per_due")
        ]

    def __str__(self) -> str:
        return f"{self.event} — {self.due_on:%d.%m.%Y}"


class ReminderKind(models.TextChoices):
    UPCOMING = "upcoming", "скоро срок"
    OVERDUE = "overdue", "просрочено"


class ReminderLog(models.Model):
    """What `send_reminders` already sent, so that running it twice a day sends nothing new."""

    event = models.ForeignKey(RoadmapEvent, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    recipients = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "напоминание"
        verbose_name_plural = "напоминания"
        constraints = [
            models.UniqueConstraint(fields=["event", "due_on", "kind"], name="reminder_once_per_occurrence")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.event} ({self.due_on:%d.%m.%Y})"


class SchoolStatus(models.TextChoices):
    NOT_STARTED = "not_started", "не начато"
    IN_PROGRESS = "in_progress", "в работе"
    DONE = "done", "выполнено"


class SchoolEventStatus(models.Model):
    """What one school did about an event of its municipality's roadmap that every school carries
    out («Руководители ОО», «образовательные организации»): its own status, result and comment.
    «Просрочено» is never stored: it is an unfinished status past the deadline in the school's
    time zone (see school_duties.school_state)."""

    event = models.ForeignKey(
        RoadmapEvent, verbose_name="мероприятие", on_delete=models.CASCADE, related_name="school_statuses"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="школа", on_delete=models.CASCADE, related_name="roadmap_duties"
    )
    status = models.CharField(
        "статус", max_length=20, choices=SchoolStatus.choices, default=SchoolStatus.NOT_STARTED
    )
    done_on = models.DateField("выполнено", null=True, blank=True)
    comment = models.TextField("комментарий школы", blank=True)
    result_file = result_file_field()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто отметил",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("когда отмечено", auto_now=True)
    reminded_at = models.DateTimeField("напоминание отправлено", null=True, blank=True)

    class Meta:
        verbose_name = "выполнение мероприятия школой"
        verbose_name_plural = "выполнение мероприятий школами"
        ordering = ["event", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="school_event_status_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.event} — {self.get_status_display()}"

    def clean(self) -> None:
        if self.status == SchoolStatus.DONE and not self.done_on:
            raise ValidationError({"done_on": "Укажите дату выполнения."})
