"""The curator's side of questionnaires: the list, new ones and copies of templates, the form
builder (HTMX), preview and the blank PDF. Campaigns are in `campaigns.py`; the preference
questionnaire of a networking meeting is sent from the meeting's page (mentoring), which names the
people its «choose and rank people» questions offer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.forms import form_errors_as_text
from nastavnik.orgs.access import can_manage_program, managed_organisations_for
from nastavnik.orgs.models import Program

from .. import access, documents, selectors
from ..forms import (
    CopyTemplateForm,
    NewQuestionnaireForm,
    QuestionForm,
    QuestionnaireSettingsForm,
    SectionForm,
)
from ..models import (
    Question,
    Questionnaire,
    Section,
)
from ..services import questionnaires as questionnaire_services


def _managed_programs(request: AuthenticatedHttpRequest) -> QuerySet[Program]:
    return (
        access.survey_programs_for(request.user)
        .filter(organisation__in=managed_organisations_for(request.user))
        .select_related("organisation")
    )


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- questionnaires and templates ------------------------------------------------------------------


@login_required
def questionnaire_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_use_templates(request.user)
    programs = _managed_programs(request)
    return render(
        request,
        "surveys/questionnaire_list.html",
        {
            "questionnaires": list(selectors.questionnaire_list(request.user)),
            "templates": list(selectors.template_list()),
            "programs": list(programs),
            "new_form": NewQuestionnaireForm(programs=programs),
            "tab": "forms",
        },
    )


@login_required
@require_POST
def questionnaire_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewQuestionnaireForm(request.POST, programs=_managed_programs(request))
    if not form.is_valid():
        messages.error(request, form_errors_as_text(form))
        return redirect("surveys:questionnaire_list")
    questionnaire = questionnaire_services.questionnaire_create(
        acting_user=request.user,
        program=form.cleaned_data["program"],
        title=form.cleaned_data["title"],
        kind=form.cleaned_data["kind"],
    )
    messages.success(request, "Анкета создана: добавьте вопросы.")
    return redirect("surveys:builder", pk=questionnaire.pk)


@login_required
@require_POST
def questionnaire_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    source = access.get_questionnaire_for_user(request.user, pk)
    form = CopyTemplateForm(request.POST, programs=_managed_programs(request))
    if not form.is_valid():
        messages.error(request, form_errors_as_text(form))
        return redirect("surveys:builder", pk=source.pk)
    copy = questionnaire_services.questionnaire_copy(
        acting_user=request.user,
        source=source,
        program=form.cleaned_data["program"],
        title=form.cleaned_data["title"],
    )
    messages.success(request, f"Анкета «{copy.title}» добавлена в программу: её можно изменять.")
    return redirect("surveys:builder", pk=copy.pk)


def _builder_context(request: AuthenticatedHttpRequest, questionnaire: Questionnaire) -> dict[str, Any]:
    can_edit = (
        questionnaire.program is not None
        and questionnaire.is_latest
        and can_manage_program(request.user, questionnaire.program)
    )
    latest = None
    if not questionnaire.is_latest:
        latest = selectors.latest_version(questionnaire)
    structure = selectors.questionnaire_structure(questionnaire)
    return {
        "questionnaire": questionnaire,
        "structure": structure,
        "can_edit": can_edit,
        "locked": can_edit and questionnaire_services.questionnaire_is_locked(questionnaire),
        "latest": latest,
        "question_form": QuestionForm(questionnaire=questionnaire) if can_edit else None,
        "section_form": SectionForm(),
        "settings_form": QuestionnaireSettingsForm(
            initial={
                "title": questionnaire.title,
                "description": questionnaire.description,
                "about_other": questionnaire.about_other,
            }
        ),
        "copy_form": CopyTemplateForm(programs=_managed_programs(request)),
        "versions": list(selectors.questionnaire_versions(questionnaire)),
    }


@login_required
def builder(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    questionnaire = access.get_questionnaire_for_user(request.user, pk)
    return render(request, "surveys/builder.html", _builder_context(request, questionnaire))


def _after_edit(
    request: AuthenticatedHttpRequest, before: Questionnaire, after: Questionnaire
) -> HttpResponse:
    """Re-render the builder (HTMX) or go to it; a new version is announced and loaded whole."""
    if after.pk != before.pk:
        messages.info(
            request,
            f"Анкета уже разослана, поэтому создана версия {after.version}: "
            "ответы на прежнюю версию сохранены без изменений.",
        )
    url = reverse("surveys:builder", args=[after.pk])
    if request.htmx:
        if after.pk != before.pk:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return render(request, "surveys/_builder.html", _builder_context(request, after))
    return redirect(url)


def _edit_failed(request: AuthenticatedHttpRequest, questionnaire: Questionnaire, error: str) -> HttpResponse:
    messages.error(request, error)
    if request.htmx:
        return render(request, "surveys/_builder.html", _builder_context(request, questionnaire))
    return redirect("surveys:builder", pk=questionnaire.pk)


@login_required
@require_POST
def questionnaire_settings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    questionnaire = access.get_questionnaire_for_user(request.user, pk)
    access.require_manage_surveys(request.user, questionnaire.program)
    form = QuestionnaireSettingsForm(request.POST)
    if not form.is_valid():
        return _edit_failed(request, questionnaire, form_errors_as_text(form))
    try:
        after = questionnaire_services.questionnaire_update(
            acting_user=request.user, questionnaire=questionnaire, **form.cleaned_data
        )
    except ValidationError as error:
        return _edit_failed(request, questionnaire, _error_text(error))
    messages.success(request, "Настройки анкеты сохранены.")
    return _after_edit(request, questionnaire, after)


@login_required
@require_POST
def section_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    questionnaire = access.get_questionnaire_for_user(request.user, pk)
    access.require_manage_surveys(request.user, questionnaire.program)
    form = SectionForm(request.POST)
    if not form.is_valid():
        return _edit_failed(request, questionnaire, form_errors_as_text(form))
    try:
        section = questionnaire_services.section_add(
            acting_user=request.user, questionnaire=questionnaire, **form.cleaned_data
        )
    except ValidationError as error:
        return _edit_failed(request, questionnaire, _error_text(error))
    return _after_edit(request, questionnaire, section.questionnaire)


def _section_for_user(request: AuthenticatedHttpRequest, pk: int) -> Section:
    section = access.get_section_for_user(request.user, pk)
    access.require_manage_surveys(request.user, section.questionnaire.program)
    return section


def _question_for_user(request: AuthenticatedHttpRequest, pk: int) -> Question:
    question = access.get_question_for_user(request.user, pk)
    access.require_manage_surveys(request.user, question.questionnaire.program)
    return question


@login_required
@require_POST
def section_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    section = _section_for_user(request, pk)
    form = SectionForm(request.POST)
    if not form.is_valid():
        return _edit_failed(request, section.questionnaire, form_errors_as_text(form))
    try:
        after = questionnaire_services.section_update(
            acting_user=request.user, section=section, **form.cleaned_data
        )
    except ValidationError as error:
        return _edit_failed(request, section.questionnaire, _error_text(error))
    return _after_edit(request, section.questionnaire, after.questionnaire)


@login_required
@require_POST
def section_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    section = _section_for_user(request, pk)
    try:
        after = questionnaire_services.section_delete(acting_user=request.user, section=section)
    except ValidationError as error:
        return _edit_failed(request, section.questionnaire, _error_text(error))
    return _after_edit(request, section.questionnaire, after)


@login_required
@require_POST
def question_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    section = _section_for_user(request, pk)
    questionnaire = section.questionnaire
    form = QuestionForm(request.POST, questionnaire=questionnaire)
    if not form.is_valid():
        return _edit_failed(request, questionnaire, form_errors_as_text(form))
    try:
        question = questionnaire_services.question_add(
            acting_user=request.user,
            section=section,
            choice_labels=form.choice_labels(),
            **form.service_fields(),
        )
    except ValidationError as error:
        return _edit_failed(request, questionnaire, _error_text(error))
    return _after_edit(request, questionnaire, question.questionnaire)


@login_required
def question_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = _question_for_user(request, pk)
    questionnaire = question.questionnaire
    if request.method == "POST":
        form = QuestionForm(request.POST, questionnaire=questionnaire, instance=question)
        if form.is_valid():
            try:
                after = questionnaire_services.question_update(
                    acting_user=request.user,
                    question=question,
                    choice_labels=form.choice_labels(),
                    **form.service_fields(),
                )
            except ValidationError as error:
                return _edit_failed(request, questionnaire, _error_text(error))
            return _after_edit(request, questionnaire, after.questionnaire)
        return _edit_failed(request, questionnaire, form_errors_as_text(form))
    form = QuestionForm(questionnaire=questionnaire, instance=question)
    template = "surveys/_question_edit.html" if request.htmx else "surveys/question_edit.html"
    return render(request, template, {"form": form, "question": question, "questionnaire": questionnaire})


@login_required
@require_POST
def question_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = _question_for_user(request, pk)
    try:
        after = questionnaire_services.question_delete(acting_user=request.user, question=question)
    except ValidationError as error:
        return _edit_failed(request, question.questionnaire, _error_text(error))
    return _after_edit(request, question.questionnaire, after)


@login_required
@require_POST
def question_move(request: AuthenticatedHttpRequest, pk: int, direction: str) -> HttpResponse:
    question = _question_for_user(request, pk)
    try:
        after = questionnaire_services.question_move(
            acting_user=request.user, question=question, direction=direction
        )
    except ValidationError as error:
        return _edit_failed(request, question.questionnaire, _error_text(error))
    return _after_edit(request, question.questionnaire, after)


@login_required
def preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    questionnaire = access.get_questionnaire_for_user(request.user, pk)
    return render(
        request,
        "surveys/preview.html",
        {"questionnaire": questionnaire, "sections": selectors.form_view(questionnaire)},
    )


@login_required
def blank_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    questionnaire = access.get_questionnaire_for_user(request.user, pk)
    pdf = documents.questionnaire_pdf(request, questionnaire, sheets=[None])
    return documents.pdf_response(pdf, f"anketa-{questionnaire.pk}.pdf")
