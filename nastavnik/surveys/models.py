"""Questionnaires (анкетирование): versioned forms built of sections and questions, campaigns that
send a form to people from the registry through personal links, and their answers as structured data.
A «choose and rank people» question offers the campaign's `rank_candidates`: the caller keeps
them (the mentoring app: the program's mentors and mentees marked present at the networking
meeting the preference questionnaire follows).

A questionnaire that has been sent is never changed in place: editing makes a new version in the
same `family`, so every answer keeps pointing at the exact question it answered.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from nastavnik.orgs.models import Program
from nastavnik.registry.models import Participation, Person, TagVocabulary


class TemplateKind(models.TextChoices):
    MENTEE_ENTRY = "mentee_entry", "Анкета наставляемого (вход в программу)"
    MENTOR_ENTRY = "mentor_entry", "Анкета наставника (вход в программу)"
    THIRD_PARTY = "third_party", "Информация о наставляемом от третьих лиц"
    PREFERENCE = "preference", "Анкета предпочтений после общей встречи"
    DIAGNOSTIC = "diagnostic", "Диагностика (до и после программы)"
    SATISFACTION_MENTOR = "satisfaction_mentor", "Удовлетворённость наставника"
    SATISFACTION_MENTEE = "satisfaction_mentee", "Удовлетворённость наставляемого"
    PROGRAM_QUALITY = "program_quality", "Качество реализации программы"
    CUSTOM = "custom", "Своя анкета"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Один вариант"
    MULTIPLE = "multiple", "Несколько вариантов"
    SCALE5 = "scale5", "Шкала 1–5"
    SCALE10 = "scale10", "Шкала 1–10"
    SHORT_TEXT = "short_text", "Короткий ответ"
    LONG_TEXT = "long_text", "Развёрнутый ответ"
    DATE = "date", "Дата"
    TAGS = "tags", "Выбор из словаря (теги)"
    RANK_PEOPLE = "rank_people", "Выбор и ранжирование людей со встречи"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
SCALE_KINDS = frozenset({QuestionKind.SCALE5, QuestionKind.SCALE10})
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})


class RankPool(models.TextChoices):
    OPPOSITE = "opposite", "Участники другой роли (наставляемому — наставники и наоборот)"
    MENTORS = "mentors", "Наставники, бывшие на встрече"
    MENTEES = "mentees", "Наставляемые, бывшие на встрече"
    ALL = "all", "Все участники встречи"


class Questionnaire(models.Model):
    """One version of a form. Built-in templates have no program; a program works on its copy."""

    program = models.ForeignKey(
        Program,
        verbose_name="программа",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaires",
    )
    kind = models.CharField("назначение", max_length=30, choices=TemplateKind.choices)
    title = models.CharField("название", max_length=300)
    description = models.TextField("обращение к респонденту", blank=True)
    about_other = models.BooleanField(
        "анкета о другом человеке",
        default=False,
        help_text="Отвечает специалист или родитель о наставляемом (информация от третьих лиц).",
    )
    family = models.UUIDField("семейство версий", default=uuid.uuid4, editable=False)
    version = models.PositiveSmallIntegerField("версия", default=1)
    is_latest = models.BooleanField("последняя версия", default=True)
    source = models.ForeignKey(
        "self",
        verbose_name="создана из",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    builtin_code = models.SlugField("код встроенного шаблона", max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "анкета"
        verbose_name_plural = "анкеты"
        ordering = ["kind", "title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="questionnaire_unique_version"),
            models.UniqueConstraint(
                fields=["builtin_code"],
                condition=models.Q(program__isnull=True, is_latest=True) & ~models.Q(builtin_code=""),
                name="questionnaire_unique_builtin",
            ),
        ]
        indexes = [models.Index(fields=["program", "is_latest"])]

    def __str__(self) -> str:
        return f"{self.title} (версия {self.version})"

    @property
    def is_template(self) -> bool:
        return self.program_id is None


class Section(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField("название раздела", max_length=300)
    description = models.TextField("пояснение", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "раздел анкеты"
        verbose_name_plural = "разделы анкеты"
        ordering = ["questionnaire", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    # A stable key, kept across versions and copies: matching and monitoring read answers by it.
    code = models.SlugField("код вопроса", max_length=60)
    kind = models.CharField("тип", max_length=20, choices=QuestionKind.choices)
    text = models.CharField("вопрос", max_length=500)
    help_text = models.CharField("подсказка", max_length=500, blank=True)
    required = models.BooleanField("обязательный", default=False)
    # [{"id": "c1", "label": "…"}]: ids stay the same when a label list is edited or copied.
    choices = models.JSONField("варианты ответа", default=list, blank=True)
    vocabulary = models.CharField("словарь тегов", max_length=20, choices=TagVocabulary.choices, blank=True)
    rank_pool = models.CharField(
        "кого предлагать", max_length=20, choices=RankPool.choices, default=RankPool.OPPOSITE
    )
    max_ranked = models.PositiveSmallIntegerField("сколько человек выбрать", default=3)
    condition_question = models.ForeignKey(
        "self",
        verbose_name="показывать, если в вопросе",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
    )
    condition_choices = models.JSONField("выбран один из вариантов", default=list, blank=True)

    class Meta:
        verbose_name = "вопрос"
        verbose_name_plural = "вопросы"
        ordering = ["questionnaire", "section__position", "section_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_unique_code"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_scale(self) -> bool:
        return self.kind in SCALE_KINDS

    @property
    def scale_max(self) -> int:
        return 10 if self.kind == QuestionKind.SCALE10 else 5

    @property
    def scale_values(self) -> range:
        return range(1, self.scale_max + 1)

    def choice_label(self, choice_id: str) -> str:
        for choice in self.choices:
            if choice["id"] == choice_id:
                return str(choice["label"])
        return choice_id


class Campaign(models.Model):
    """Sending one questionnaire version to a selection of people until a deadline, or (`in_app`)
    the satisfaction questionnaire a program's pairs fill in «Мой кабинет» (mentoring/services/pair_feedback.py)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="survey_campaigns")
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="анкета", on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField("название рассылки", max_length=300)
    deadline = models.DateTimeField("заполнить до")
    rank_candidates = models.ManyToManyField(
        Participation,
        verbose_name="кого предлагать в выборе людей",
        blank=True,
        related_name="+",
        help_text="Участники программы, которых предлагает вопрос «выбор и ранжирование людей».",
    )
    # Nobody is sent anything: a response appears when a pair member answers in «Мой кабинет».
    in_app = models.BooleanField("анкета в личном кабинете", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "рассылка анкеты"
        verbose_name_plural = "рассылки анкет"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "questionnaire"],
                condition=models.Q(in_app=True),
                name="campaign_one_in_app_per_questionnaire",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) < self.deadline


class ResponseStatus(models.TextChoices):
    INVITED = "invited", "Не начата"
    IN_PROGRESS = "in_progress", "Заполняется"
    SUBMITTED = "submitted", "Отправлена"


class Response(models.Model):
    """One respondent's questionnaire in a campaign (about themselves or about `about_person`).

    A response of an in-app campaign may repeat: the mentoring app names the pair (group) and the
    stage it is about."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="survey_responses")
    about_person = models.ForeignKey(
        Person,
        verbose_name="о ком",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_responses_about",
    )
    # A response of an in-app campaign: one person may send several (interim and final, about each
    # of their pairs), so the one-response-per-respondent rule skips it.
    in_app = models.BooleanField("анкета в личном кабинете", default=False)
    status = models.CharField(
        "состояние", max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.INVITED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField("начата", null=True, blank=True)
    submitted_at = models.DateTimeField("отправлена", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="внесено с бумажной анкеты",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField("приглашение по e-mail", null=True, blank=True)
    reminded_at = models.DateTimeField("последнее напоминание", null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField("напоминаний", default=0)

    class Meta:
        verbose_name = "анкета респондента"
        verbose_name_plural = "анкеты респондентов"
        ordering = ["campaign", "respondent__last_name", "respondent__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "respondent"],
                condition=models.Q(about_person__isnull=True, in_app=False),
                name="response_unique_respondent",
            ),
            models.UniqueConstraint(
                fields=["campaign", "respondent", "about_person"],
                condition=models.Q(about_person__isnull=False),
                name="response_unique_respondent_about",
            ),
        ]

    def __str__(self) -> str:
        if self.about_person_id:
            return f"{self.respondent} о {self.about_person}"
        return str(self.respondent)

    @property
    def subject(self) -> Person:
        """The person the answers are about."""
        return self.about_person or self.respondent

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class LinkChannel(models.TextChoices):
    EMAIL = "email", "Приглашение по e-mail"
    REMINDER = "reminder", "Напоминание по e-mail"
    PRINT = "print", "Бумажная анкета (PDF)"
    MANUAL = "manual", "Ссылка для рассылки вручную"


class ResponseLink(models.Model):
    """A personal link to a response. Only the SHA-256 of the token is stored: the token itself
    is shown once (e-mail, PDF, the list of links) and a new one is issued when needed."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    channel = models.CharField("как выдана", max_length=20, choices=LinkChannel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "персональная ссылка"
        verbose_name_plural = "персональные ссылки"

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.response}"


class Answer(models.Model):
    """One answer as structured data, by question kind:
    single → "c1"; multiple → ["c1", "c3"]; scale → 7; text → "…"; date → "2026-10-01";
    tags → [tag ids]; rank_people → [person ids, the most preferred first]."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField("ответ")
    number = models.SmallIntegerField("значение шкалы", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ответ"
        verbose_name_plural = "ответы"
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_unique")]

    def __str__(self) -> str:
        return f"на вопрос № {self.question_id}"  # the value is codes of options: not for people


class CampaignExclusion(models.Model):
    """Someone selected for a campaign who was not sent anything, and why (usually no consent)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="exclusions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("причина", max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "не включён в рассылку"
        verbose_name_plural = "не включены в рассылку"
        ordering = ["person__last_name", "person__first_name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="exclusion_unique")]

    def __str__(self) -> str:
        return f"{self.person}: {self.reason}"

    @property
    def reason_only(self) -> str:
        """The reason without the person's name the registry's messages start with
        («Иванов Иван: нет согласия…» → «Нет согласия…»), for a column beside the name."""
        text = self.reason
        for name in (self.person.full_name, self.person.short_name):
            if name and text.startswith(name):
                text = text[len(name) :].lstrip(" :—–-,")
                break
        return text[:1].upper() + text[1:]


def answer_display(question: Question, value: Any, tags: dict[int, str], people: dict[int, str]) -> str:
    """A stored value as the text a curator reads (tags and people resolved by the caller)."""
    if value is None or value == "" or value == []:
        return ""
    if question.kind == QuestionKind.SINGLE:
        return question.choice_label(str(value))
    if question.kind == QuestionKind.MULTIPLE:
        return "; ".join(question.choice_label(str(v)) for v in value)
    if question.kind == QuestionKind.TAGS:
        return "; ".join(tags.get(int(v), "—") for v in value)
    if question.kind == QuestionKind.RANK_PEOPLE:
        return "; ".join(f"{i}. {people.get(int(v), '—')}" for i, v in enumerate(value, start=1))
    if question.kind == QuestionKind.DATE:
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
        except ValueError:
            return str(value)
    return str(value)
