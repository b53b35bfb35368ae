"""A matching run of one program and form: its settings (objective, the curator's weights, the
form's rules), the two proposals it produced (optimal and stable) with a per-pair explanation,
the unmatched with reasons, and — once confirmed — the pairs and groups it created and the
details of the director's order. Exclusions and fixed pairs are the curator's standing
decisions for a program and hold for every run."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from nastavnik.base.files import RandomName, private_storage
from nastavnik.orgs.models import MentoringForm, Program
from nastavnik.registry.models import Participation


class Objective(models.TextChoices):
    MAX_SCORE = "max_score", "Лучшая общая совместимость"
    MAX_MATCHED = "max_matched", "Охватить больше наставляемых, затем лучшая совместимость"


class RunStatus(models.TextChoices):
    DRAFT = "draft", "Черновик"
    CONFIRMED = "confirmed", "Утверждён"
    SUPERSEDED = "superseded", "Заменён новым подбором"


class Method(models.TextChoices):
    OPTIMAL = "optimal", "Оптимальный"
    STABLE = "stable", "Устойчивый"


class UnmatchedCode(models.TextChoices):
    NO_CONSENT = "no_consent", "нет согласия"
    LEFT = "left", "выбыл(а) из организации"
    NOT_ELIGIBLE = "not_eligible", "не проходит по правилам формы"
    NO_COMPATIBLE_MENTOR = "no_compatible_mentor", "нет подходящего наставника"
    ALL_EXCLUDED = "all_excluded", "подходящие наставники исключены куратором"
    NO_CAPACITY = "no_capacity", "не осталось мест у подходящих наставников"
    NO_POSITIVE_SCORE = "no_positive_score", "нет совпадений по запросам"
    BROKEN = "broken", "пара разорвана куратором"


class MatchingRun(models.Model):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="matching_runs")
    form = models.ForeignKey(MentoringForm, verbose_name="форма наставничества", on_delete=models.PROTECT)
    objective = models.CharField("что важнее", max_length=20, choices=Objective.choices)
    weights = models.JSONField("веса факторов", default=dict)
    rules = models.JSONField("правила формы", default=dict)
    # Stated preferences used by this run: [[mentee_person_id, mentor_person_id, rank, side]],
    # side "mentee" or "mentor"; kept so that a move is checked on the same data.
    preferences = models.JSONField(default=list, blank=True)
    on_date = models.DateField("дата проверки правил и согласий")
    status = models.CharField("статус", max_length=20, choices=RunStatus.choices, default=RunStatus.DRAFT)
    rerun_of = models.ForeignKey(
        "self", verbose_name="повторный подбор после", null=True, blank=True, on_delete=models.SET_NULL
    )
    notes = models.JSONField("замечания", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    confirmed_proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField("утверждён", null=True, blank=True)
    order_number = models.CharField("номер приказа", max_length=30, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    confirmed_memberships = models.ManyToManyField(
        "mentoring.GroupMembership", blank=True, related_name="matching_runs"
    )

    class Meta:
        verbose_name = "подбор пар"
        verbose_name_plural = "подборы пар"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Подбор № {self.pk}: {self.form} ({self.program})"

    @property
    def is_draft(self) -> bool:
        return self.status == RunStatus.DRAFT

    @property
    def is_confirmed(self) -> bool:
        return self.status == RunStatus.CONFIRMED


# The rows a run writes by the thousand (its mentors, each proposal's pairs and unmatched) keep
# no foreign-key constraint in the database: on PostgreSQL the deferred checks ran at COMMIT,
# one lookup and row lock a reference, 12,000 of them for the bench's run of 2,000 x 500: 40-60
# ms of a 350 ms run. Django still deletes them with their run, proposal or participation (its
# CASCADE is its own, not the database's); the run is new in the same transaction; and
# `services._store_run` checks, before it commits, that every participation it wrote still
# exists, so a person removed while the run was solved rolls the run back instead of leaving a
# row without its participant. Readers join them to their people (`select_related`): a row
# whose participant went after that check (a window of a millisecond) is not shown.


class RunMentor(models.Model):
    """A mentor considered by a run: free places at run time, or why they were left out."""

    # Not indexed apart: the unique constraint's index begins with it.
    run = models.ForeignKey(
        MatchingRun, on_delete=models.CASCADE, related_name="mentors", db_index=False, db_constraint=False
    )
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    capacity = models.PositiveSmallIntegerField("свободных мест")
    skipped_reason = models.CharField("не участвует в подборе", max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "participation"], name="run_mentor_unique")]

    def __str__(self) -> str:
        return f"{self.participation.person.short_name} в подборе № {self.run_id}"


class Proposal(models.Model):
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    method = models.CharField("метод", max_length=20, choices=Method.choices)
    total_score = models.FloatField("суммарная совместимость", default=0)
    matched = models.PositiveIntegerField("в парах", default=0)
    blocking_pairs = models.PositiveIntegerField("блокирующих пар", default=0)
    # [{"code", "name", "total", "matched"}]: coverage of each target group of mentees.
    coverage = models.JSONField(default=list)
    edited = models.BooleanField("изменён куратором", default=False)

    class Meta:
        ordering = ["run", "method"]
        constraints = [models.UniqueConstraint(fields=["run", "method"], name="proposal_unique_method")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} вариант подбора № {self.run_id}"


class ProposalPair(models.Model):
    # Not indexed apart: the unique constraint's index begins with it (a run writes thousands of
    # rows, and each index is a B-tree more for every one of them).
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="pairs", db_index=False, db_constraint=False
    )
    mentee = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    mentor = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    score = models.FloatField("совместимость")
    evidence = models.FloatField("обоснованность", default=0)
    # {factor: contribution to the score}: why this pair was proposed.
    factors = models.JSONField(default=dict)
    is_fixed = models.BooleanField("закреплена", default=False)

    class Meta:
        ordering = ["proposal", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "mentee"], name="proposal_pair_unique_mentee")
        ]

    def __str__(self) -> str:
        return f"{self.mentor.person.short_name} — {self.mentee.person.short_name}"


class UnmatchedMentee(models.Model):
    # Not indexed apart: the unique constraint's index begins with it.
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="unmatched", db_index=False, db_constraint=False
    )
    mentee = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    code = models.CharField("причина", max_length=30, choices=UnmatchedCode.choices)
    detail = models.CharField("подробнее", max_length=400, blank=True)

    class Meta:
        ordering = ["proposal", "pk"]
        constraints = [models.UniqueConstraint(fields=["proposal", "mentee"], name="unmatched_unique_mentee")]

    def __str__(self) -> str:
        return f"{self.mentee.person.short_name}: {self.get_code_display()}"


class ExclusionKind(models.TextChoices):
    VETO = "veto", "Вето педагога-психолога"
    CONFLICT = "conflict", "Конфликт"
    BROKEN = "broken", "Пара разорвана куратором"
    OTHER = "other", "Другое"


class Exclusion(models.Model):
    """A mentee and a mentor who must not be paired in this program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="matching_exclusions")
    mentee = models.ForeignKey(
        Participation, verbose_name="наставляемый", on_delete=models.CASCADE, related_name="+"
    )
    mentor = models.ForeignKey(
        Participation, verbose_name="наставник", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("основание", max_length=20, choices=ExclusionKind.choices)
    reason = models.CharField("комментарий", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "запрет пары"
        verbose_name_plural = "запреты пар"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["mentee", "mentor"], name="exclusion_unique_pair")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentee.person.short_name} — {self.mentor.person.short_name}"


class FixedPairKind(models.TextChoices):
    MUTUAL = "mutual", "Взаимный выбор"
    CURATOR = "curator", "Решение куратора"


class FixedPair(models.Model):
    """A pair that every run of the form keeps (mutual choice, or the curator fixed it)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="fixed_pairs")
    form = models.ForeignKey(MentoringForm, verbose_name="форма наставничества", on_delete=models.CASCADE)
    mentee = models.ForeignKey(
        Participation, verbose_name="наставляемый", on_delete=models.CASCADE, related_name="+"
    )
    mentor = models.ForeignKey(
        Participation, verbose_name="наставник", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("основание", max_length=20, choices=FixedPairKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "закреплённая пара"
        verbose_name_plural = "закреплённые пары"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["form", "mentee"], name="fixed_pair_unique_mentee")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentee.person.short_name} — {self.mentor.person.short_name}"


# --- the order's PDF, made in the background ---------------------------------------------------


class OrderDocumentStatus(models.TextChoices):
    QUEUED = "queued", "В очереди"
    BUILDING = "building", "Формируется"
    DONE = "done", "Готов"
    FAILED = "failed", "Не удалось сформировать"


class OrderDocument(models.Model):
    """The PDF of a confirmed run's order when it is longer than `ORDER_PDF_BACKGROUND_PAIRS`:
    the task runner builds it (`tasks.order_pdf_task`) into private storage, and the file is
    served while it holds the order's current data (`content_hash`, the fingerprint of
    `order_data`): a person renamed or erased, a class changed, builds it again. One a run, so
    that a second click shows the build of the first; the state is here, so the page that
    waits for it survives a reload."""

    # One a run (the constraint); no accessor on the run, whose audit would read it at every save.
    run = models.ForeignKey(MatchingRun, verbose_name="подбор", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        "состояние", max_length=10, choices=OrderDocumentStatus.choices, default=OrderDocumentStatus.QUEUED
    )
    # Counted up at each build queued: a task of an earlier build (stalled, then finished after
    # all) leaves the row to the newer one.
    attempt = models.PositiveIntegerField("попытка", default=0)
    pairs = models.PositiveIntegerField("пар в приказе", default=0)
    content_hash = models.CharField("отпечаток данных приказа", max_length=64, blank=True)
    file = models.FileField("файл", storage=private_storage, upload_to=RandomName("orders"), blank=True)
    error = models.CharField("ошибка", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто запросил",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("запрошен")
    started_at = models.DateTimeField("начато", null=True, blank=True)
    finished_at = models.DateTimeField("закончено", null=True, blank=True)

    class Meta:
        verbose_name = "файл приказа о закреплении пар (PDF)"
        verbose_name_plural = "файлы приказов о закреплении пар (PDF)"
        constraints = [models.UniqueConstraint(fields=["run"], name="order_document_one_per_run")]

    def __str__(self) -> str:
        return f"по подбору № {self.run_id}"

    @property
    def is_running(self) -> bool:
        return self.status in (OrderDocumentStatus.QUEUED, OrderDocumentStatus.BUILDING)

    @property
    def is_stalled(self) -> bool:
        """Queued or building, but queued or begun more than `ORDER_PDF_STALLED_MINUTES` ago: its
        task was lost (a task killed is never run again)."""
        last_sign = self.started_at or self.requested_at
        cutoff = timezone.now() - dt.timedelta(minutes=settings.ORDER_PDF_STALLED_MINUTES)
        return self.is_running and last_sign < cutoff

    @property
    def is_waited_for(self) -> bool:
        """Queued or building, and not stalled: the page polls it."""
        return self.is_running and not self.is_stalled

    @property
    def is_ready(self) -> bool:
        return self.status == OrderDocumentStatus.DONE and bool(self.file)
