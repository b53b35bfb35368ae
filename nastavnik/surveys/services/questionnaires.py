"""Writes of questionnaires: creating, copying and versioning them, their sections and questions.
Every function takes the acting user, checks the permission, validates and writes in a
transaction under `acting_as`, so the audit log names who did it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.orgs.models import Program

from ..access import require_manage_surveys
from ..models import (
    CHOICE_KINDS,
    Question,
    QuestionKind,
    Questionnaire,
    Section,
    TemplateKind,
)

# --- questionnaires and their versions -------------------------------------------------------


def questionnaire_is_locked(questionnaire: Questionnaire) -> bool:
    """A questionnaire that has been sent is never changed in place (answers point at it)."""
    return questionnaire.campaigns.exists()


def _copy_contents(
    source: Questionnaire, target: Questionnaire
) -> tuple[dict[int, Section], dict[int, Question]]:
    """Copy sections and questions (with conditions) from `source` into `target`."""
    sections: dict[int, Section] = {}
    questions: dict[int, Question] = {}
    for section in source.sections.all():
        sections[section.pk] = Section.objects.create(
            questionnaire=target,
            title=section.title,
            description=section.description,
            position=section.position,
        )
    originals = list(source.questions.all())
    for question in originals:
        questions[question.pk] = Question.objects.create(
            questionnaire=target,
            section=sections[question.section_id],
            position=question.position,
            code=question.code,
            kind=question.kind,
            text=question.text,
            help_text=question.help_text,
            required=question.required,
            choices=question.choices,
            vocabulary=question.vocabulary,
            rank_pool=question.rank_pool,
            max_ranked=question.max_ranked,
            condition_choices=question.condition_choices,
        )
    for question in originals:
        if question.condition_question_id:
            copy = questions[question.pk]
            copy.condition_question = questions[question.condition_question_id]
            copy.save(update_fields=["condition_question"])
    return sections, questions


def questionnaire_copy(
    *, acting_user: User, source: Questionnaire, program: Program, title: str = ""
) -> Questionnaire:
    """Copy a template (or another program's questionnaire) into a program as a new form."""
    require_manage_surveys(acting_user, program)
    copy = Questionnaire(
        program=program,
        kind=source.kind,
        title=(title or source.title).strip(),
        description=source.description,
        about_other=source.about_other,
        source=source,
        created_by=acting_user,
    )
    copy.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        copy.save()
        _copy_contents(source, copy)
    return copy


def questionnaire_create(
    *,
    acting_user: User,
    program: Program,
    title: str,
    kind: str = TemplateKind.CUSTOM,
    description: str = "",
    about_other: bool = False,
) -> Questionnaire:
    require_manage_surveys(acting_user, program)
    questionnaire = Questionnaire(
        program=program,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        about_other=about_other,
        created_by=acting_user,
    )
    questionnaire.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        questionnaire.save()
        Section.objects.create(questionnaire=questionnaire, title="Вопросы", position=1)
    return questionnaire


def questionnaire_new_version(*, acting_user: User, questionnaire: Questionnaire) -> Questionnaire:
    version, _, _ = _new_version(acting_user, questionnaire)
    return version


def _new_version(
    acting_user: User, questionnaire: Questionnaire
) -> tuple[Questionnaire, dict[int, Section], dict[int, Question]]:
    if questionnaire.program is None:
        raise PermissionDenied("Встроенный шаблон не изменяется: сделайте копию для программы.")
    require_manage_surveys(acting_user, questionnaire.program)
    with transaction.atomic(), acting_as(acting_user):
        latest = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if not latest.is_latest:
            raise ValidationError("Это не последняя версия анкеты: откройте последнюю и измените её.")
        version = Questionnaire.objects.create(
            program=latest.program,
            kind=latest.kind,
            title=latest.title,
            description=latest.description,
            about_other=latest.about_other,
            family=latest.family,
            version=latest.version + 1,
            source=latest,
            created_by=acting_user,
        )
        Questionnaire.objects.filter(pk=latest.pk).update(is_latest=False)
        questionnaire.is_latest = False
        sections, questions = _copy_contents(latest, version)
    return version, sections, questions


@dataclass
class Editable:
    """The version to edit and, when a new version was just made, how old objects map to it."""

    questionnaire: Questionnaire
    sections: dict[int, Section] = field(default_factory=dict)
    questions: dict[int, Question] = field(default_factory=dict)
    new_version: bool = False

    def section(self, section: Section) -> Section:
        return self.sections.get(section.pk, section)

    def question(self, question: Question | None) -> Question | None:
        if question is None:
            return None
        return self.questions.get(question.pk, question)


def _editable(acting_user: User, questionnaire: Questionnaire) -> Editable:
    if questionnaire.program is None:
        raise PermissionDenied("Встроенный шаблон не изменяется: сделайте копию для программы.")
    require_manage_surveys(acting_user, questionnaire.program)
    if not questionnaire.is_latest:
        raise ValidationError("Это не последняя версия анкеты: откройте последнюю и измените её.")
    if not questionnaire_is_locked(questionnaire):
        return Editable(questionnaire)
    version, sections, questions = _new_version(acting_user, questionnaire)
    return Editable(version, sections, questions, new_version=True)


def questionnaire_update(
    *, acting_user: User, questionnaire: Questionnaire, title: str, description: str, about_other: bool
) -> Questionnaire:
    with transaction.atomic():
        target = _editable(acting_user, questionnaire).questionnaire
        target.title = title.strip()
        target.description = description.strip()
        target.about_other = about_other
        target.full_clean()
        with acting_as(acting_user):
            target.save(update_fields=["title", "description", "about_other"])
    return target


def section_add(
    *, acting_user: User, questionnaire: Questionnaire, title: str, description: str = ""
) -> Section:
    with transaction.atomic():
        target = _editable(acting_user, questionnaire).questionnaire
        position = (target.sections.aggregate(m=Max("position"))["m"] or 0) + 1
        section = Section(
            questionnaire=target, title=title.strip(), description=description.strip(), position=position
        )
        section.full_clean()
        with acting_as(acting_user):
            section.save()
    return section


def section_update(*, acting_user: User, section: Section, title: str, description: str) -> Section:
    with transaction.atomic():
        target = _editable(acting_user, section.questionnaire).section(section)
        target.title = title.strip()
        target.description = description.strip()
        target.full_clean()
        with acting_as(acting_user):
            target.save(update_fields=["title", "description"])
    return target


def section_delete(*, acting_user: User, section: Section) -> Questionnaire:
    questionnaire = section.questionnaire
    if questionnaire.sections.count() <= 1:
        raise ValidationError("В анкете должен остаться хотя бы один раздел.")
    outside = Question.objects.filter(
        condition_question__section=section, questionnaire=questionnaire
    ).exclude(section=section)
    if outside.exists():
        raise ValidationError(
            "От вопросов этого раздела зависят вопросы других разделов: сначала уберите у них условия."
        )
    with transaction.atomic():
        editable = _editable(acting_user, questionnaire)
        with acting_as(acting_user):
            editable.section(section).delete()
    return editable.questionnaire


def merge_choices(existing: Sequence[dict[str, Any]], labels: Iterable[str]) -> list[dict[str, str]]:
    """New labels onto existing choices: a label kept keeps its id, a new one gets a new id."""
    by_label = {str(c["label"]).strip().lower(): str(c["id"]) for c in existing}
    used = {str(c["id"]) for c in existing}
    numbers = [int(m[1]) for cid in used if (m := re.fullmatch(r"c(\d+)", cid))]
    next_number = max(numbers, default=0) + 1
    result: list[dict[str, str]] = []
    seen: set[str] = set()
    for raw in labels:
        label = " ".join(raw.split())
        key = label.lower()
        if not label or key in seen:
            continue
        seen.add(key)
        choice_id = by_label.get(key)
        if choice_id is None:
            while f"c{next_number}" in used:
                next_number += 1
            choice_id = f"c{next_number}"
            used.add(choice_id)
        result.append({"id": choice_id, "label": label})
    return result


def _order_key(question: Question) -> tuple[int, int, int]:
    return (question.section.position, question.position, question.pk or 10**9)


def _validate_question(question: Question) -> None:
    errors: dict[str, str] = {}
    if not question.text.strip():
        errors["text"] = "Напишите текст вопроса."
    if question.kind in CHOICE_KINDS and len(question.choices) < 2:
        errors["choices"] = "Укажите хотя бы два варианта ответа, каждый с новой строки."
    if question.kind not in CHOICE_KINDS:
        question.choices = []
    if question.kind == QuestionKind.TAGS and not question.vocabulary:
        errors["vocabulary"] = "Выберите словарь, из которого отвечающий выбирает теги."
    if question.kind == QuestionKind.RANK_PEOPLE and not 1 <= question.max_ranked <= 10:
        errors["max_ranked"] = "Можно предложить выбрать от 1 до 10 человек."
    condition = question.condition_question
    if condition is not None:
        if condition.questionnaire_id != question.questionnaire_id:
            errors["condition_question"] = "Условие может ссылаться только на вопрос этой же анкеты."
        elif condition.kind not in CHOICE_KINDS:
            errors["condition_question"] = "Условие можно поставить только на вопрос с вариантами ответа."
        elif condition.pk == question.pk or (question.pk and _order_key(condition) >= _order_key(question)):
            errors["condition_question"] = "Вопрос-условие должен стоять раньше этого вопроса."
        else:
            valid = {c["id"] for c in condition.choices}
            chosen = [c for c in question.condition_choices if c in valid]
            if not chosen:
                errors["condition_choices"] = "Отметьте варианты ответа, при которых показывать вопрос."
            question.condition_choices = chosen
    else:
        question.condition_choices = []
    if errors:
        raise ValidationError(errors)


QUESTION_FIELDS = frozenset(
    {
        "kind",
        "text",
        "help_text",
        "required",
        "vocabulary",
        "rank_pool",
        "max_ranked",
        "condition_question",
        "condition_choices",
    }
)


def question_add(
    *, acting_user: User, section: Section, choice_labels: Iterable[str] = (), **fields: Any
) -> Question:
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise TypeError(f"Unknown question fields: {sorted(unknown)}")
    with transaction.atomic():
        editable = _editable(acting_user, section.questionnaire)
        target_section = editable.section(section)
        fields["condition_question"] = editable.question(fields.get("condition_question"))
        position = (target_section.questions.aggregate(m=Max("position"))["m"] or 0) + 1
        question = Question(
            questionnaire=editable.questionnaire,
            section=target_section,
            position=position,
            code=f"q{uuid.uuid4().hex[:10]}",
            **fields,
        )
        question.choices = merge_choices([], choice_labels)
        question.text = question.text.strip()
        # The new question goes to the end of its section: a condition must point above it.
        if question.condition_question is not None and _order_key(question.condition_question) >= (
            target_section.position,
            position,
            10**9,
        ):
            raise ValidationError(
                {"condition_question": "Вопрос-условие должен стоять раньше этого вопроса."}
            )
        _validate_question(question)
        question.full_clean()
        with acting_as(acting_user):
            question.save()
    return question


def question_update(
    *, acting_user: User, question: Question, choice_labels: Iterable[str] | None = None, **fields: Any
) -> Question:
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise TypeError(f"Unknown question fields: {sorted(unknown)}")
    with transaction.atomic():
        editable = _editable(acting_user, question.questionnaire)
        target = editable.question(question)
        assert target is not None
        if "condition_question" in fields:
            fields["condition_question"] = editable.question(fields["condition_question"])
        for name, value in fields.items():
            setattr(target, name, value)
        if choice_labels is not None:
            target.choices = merge_choices(target.choices, choice_labels)
        target.text = target.text.strip()
        _validate_question(target)
        dependents = list(target.dependents.all())
        valid_ids = {c["id"] for c in target.choices}
        for dependent in dependents:
            if target.kind not in CHOICE_KINDS or not set(dependent.condition_choices) & valid_ids:
                raise ValidationError(
                    f"От этого вопроса зависит вопрос «{dependent.text}»: сначала уберите у него условие."
                )
        target.full_clean()
        with acting_as(acting_user):
            target.save()
    return target


def question_delete(*, acting_user: User, question: Question) -> Questionnaire:
    dependents = list(question.dependents.values_list("text", flat=True))
    if dependents:
        raise ValidationError(
            f"От этого вопроса зависит вопрос «{dependents[0]}»: сначала уберите у него условие."
        )
    with transaction.atomic():
        editable = _editable(acting_user, question.questionnaire)
        target = editable.question(question)
        assert target is not None
        with acting_as(acting_user):
            target.delete()
    return editable.questionnaire


def question_move(*, acting_user: User, question: Question, direction: str) -> Questionnaire:
    """Move a question one place up or down in its section (conditions keep their order)."""
    if direction not in {"up", "down"}:
        raise ValidationError("Неизвестное направление.")
    with transaction.atomic():
        editable = _editable(acting_user, question.questionnaire)
        target = editable.question(question)
        assert target is not None
        siblings = list(target.section.questions.order_by("position", "pk"))
        index = next(i for i, q in enumerate(siblings) if q.pk == target.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(siblings):
            moving, neighbour = siblings[index], siblings[other]
            if direction == "up" and moving.condition_question_id == neighbour.pk:
                raise ValidationError("Вопрос с условием не может стоять выше вопроса-условия.")
            if direction == "down" and neighbour.condition_question_id == moving.pk:
                raise ValidationError("Вопрос-условие должен стоять выше зависящего от него вопроса.")
            siblings[index], siblings[other] = neighbour, moving
            with acting_as(acting_user):
                for position, sibling in enumerate(siblings, start=1):
                    if sibling.position != position:
                        sibling.position = position
                        sibling.save(update_fields=["position"])
    return editable.questionnaire
