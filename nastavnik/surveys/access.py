"""Who reads and runs surveys: questionnaires, campaigns and answers of a program are read by
the staff who oversee its organisation (administration, curators, municipal and regional
centres), the built-in templates by staff anywhere; a stranger gets 404. Only the
organisation's administration and curators change questionnaires and campaigns."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of
from nastavnik.accounts.models import User
from nastavnik.orgs.access import overseen_organisations_for, require_manage_program, visible_programs_for
from nastavnik.orgs.models import Program

from .models import Campaign, Question, Questionnaire, Response, Section


def survey_programs_for(user: AnyUser) -> QuerySet[Program]:
    """Programs whose questionnaires and answers the user may read (staff scope only)."""
    return visible_programs_for(user).filter(organisation__in=overseen_organisations_for(user))


def can_use_templates(user: AnyUser) -> bool:
    return scopes_of(user).is_staff_anywhere


def require_use_templates(user: AnyUser) -> None:
    require(can_use_templates(user), "Анкетирование доступно администрации, кураторам и методистам.")


def require_manage_surveys(user: User | AnyUser | None, program: Program | None) -> Program:
    """The program, if the user may change its questionnaires and campaigns."""
    return require_manage_program(
        user, program, "Изменять анкеты и рассылки могут администрация и кураторы организации."
    )


def visible_questionnaires_for(user: AnyUser) -> QuerySet[Questionnaire]:
    condition = Q(program__in=survey_programs_for(user))
    if can_use_templates(user):
        condition |= Q(program__isnull=True)
    return Questionnaire.objects.filter(condition)


def get_questionnaire_for_user(user: AnyUser, pk: int) -> Questionnaire:
    try:
        return visible_questionnaires_for(user).select_related("program__organisation").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Анкета не найдена") from exc


def get_section_for_user(user: AnyUser, pk: int) -> Section:
    try:
        return Section.objects.select_related("questionnaire").get(
            pk=pk, questionnaire__in=visible_questionnaires_for(user)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Раздел анкеты не найден") from exc


def get_question_for_user(user: AnyUser, pk: int) -> Question:
    try:
        return Question.objects.select_related("questionnaire", "section").get(
            pk=pk, questionnaire__in=visible_questionnaires_for(user)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Вопрос не найден") from exc


def visible_campaigns_for(user: AnyUser) -> QuerySet[Campaign]:
    return Campaign.objects.filter(program__in=survey_programs_for(user))


def get_campaign_for_user(user: AnyUser, pk: int) -> Campaign:
    try:
        return visible_campaigns_for(user).select_related("program__organisation", "questionnaire").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Рассылка не найдена") from exc


def get_response_for_user(user: AnyUser, pk: int) -> Response:
    try:
        return (
            Response.objects.filter(campaign__in=visible_campaigns_for(user))
            .select_related(
                "campaign__program__organisation",
                "campaign__questionnaire",
                "respondent__organisation",
                "about_person__organisation",
                "entered_by",
            )
            .get(pk=pk)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Анкета респондента не найдена") from exc
