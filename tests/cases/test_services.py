"""The case's way: written from a completed pair (pre-filled), reviewed school → municipality →
region with a readable history, returned with a comment; published named only with everyone's
consent to dissemination, else anonymised; a revoked consent anonymises it at the next render."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nastavnik.base.time import today_in
from nastavnik.cases import services
from nastavnik.cases.access import get_case_for_user, visible_cases_for
from nastavnik.cases.anonymise import Shown, anonymise_texts
from nastavnik.cases.models import CaseStatus
from nastavnik.cases.publicity import case_text
from nastavnik.mentoring.services import completion
from tests.mentoring.conftest import make_pair

from .conftest import accepted_by_school, allow_distribution, people_of, revoke_distribution


def test_a_new_case_is_prefilled_from_the_request_the_meetings_the_result_and_the_mentors_report(
    pair, school_x_curator
):
    completion.report_save(
        acting_user=school_x_curator,
        group=pair,
        work_done="Разбирали задачи по субботам.",
        mentee_progress="Мария сама решает задачи у доски.",
    )
    case = services.case_create(acting_user=school_x_curator, group=pair)
    assert "отстаёт по математике" in case.request
    assert "Запросы: успеваемость" in case.request
    assert case.topic == "успеваемость"
    assert "Проведено 1\u00a0встреча" in case.work_done
    assert "Разбирали задачи по субботам." in case.work_done
    assert "исправила оценку" in case.result and "сама решает задачи" in case.result
    assert (
        case.status == CaseStatus.DRAFT
        and case.form == pair.form
        and case.organisation == pair.program.organisation
    )


def test_a_case_is_written_only_about_a_completed_pair_and_only_by_its_mentor_or_curator(
    program, school_x_curator, school_y_curator, pair, mentor_user
):
    working = make_pair(program, school_x_curator)
    with pytest.raises(PermissionDenied, match="завершённой"):
        services.case_create(acting_user=school_x_curator, group=working)
    with pytest.raises(PermissionDenied):
        services.case_create(acting_user=school_y_curator, group=pair)
    case = services.case_create(acting_user=mentor_user, group=pair)
    assert case.author == mentor_user


def test_the_case_goes_up_school_municipality_region_and_each_level_sees_it_only_when_it_is_its_turn(
    case, school_x_curator, municipal_curator_a, regional_user, school_y_curator, mentor_user
):
    assert case not in visible_cases_for(municipal_curator_a)
    assert case in visible_cases_for(mentor_user)  # the pair's mentor sees the case of their pair
    accepted_by_school(case, school_x_curator)
    assert case in visible_cases_for(municipal_curator_a)
    assert case not in visible_cases_for(regional_user)
    with pytest.raises(PermissionDenied):
        services.case_accept(acting_user=regional_user, case=case)  # not the region's turn yet
    services.case_accept(acting_user=municipal_curator_a, case=case)
    assert case in visible_cases_for(regional_user)
    services.case_accept(acting_user=regional_user, case=case, comment="В сборник")
    assert case.status == CaseStatus.REGION_ACCEPTED and case.level_label == "Регион"
    history = [
        (r.get_action_display(), r.get_level_display(), r.get_status_after_display())
        for r in case.reviews.all()
    ]
    assert history == [
        ("Отправлен на рассмотрение", "Организация", "На рассмотрении в организации"),
        ("Принят", "Организация", "Принят организацией, на рассмотрении в муниципалитете"),
        ("Принят", "Муниципалитет", "Принят муниципалитетом, на рассмотрении в регионе"),
        ("Принят", "Регион", "Принят региональным центром"),
    ]
    assert case not in visible_cases_for(school_y_curator)


def test_a_returned_case_needs_a_comment_and_can_be_edited_and_sent_again(
    case, school_x_curator, municipal_curator_a
):
    accepted_by_school(case, school_x_curator)
    with pytest.raises(ValidationError, match="доработать"):
        services.case_return(acting_user=municipal_curator_a, case=case, comment=" ")
    services.case_return(
        acting_user=municipal_curator_a, case=case, comment="Добавьте результаты диагностики"
    )
    assert case.status == CaseStatus.RETURNED and case.review_comment == "Добавьте результаты диагностики"
    assert case not in visible_cases_for(municipal_curator_a)
    services.case_update(acting_user=school_x_curator, case=case, result="Средний балл вырос с 5 до 8.")
    services.case_submit(acting_user=school_x_curator, case=case)
    assert case.status == CaseStatus.SUBMITTED


def test_a_case_under_review_cannot_be_edited(case, school_x_curator):
    services.case_submit(acting_user=school_x_curator, case=case)
    with pytest.raises(PermissionDenied, match="на рассмотрении"):
        services.case_update(acting_user=school_x_curator, case=case, title="Другое")


def test_without_everyones_consent_to_dissemination_a_case_is_published_only_anonymised(
    case, pair, school_x_curator
):
    accepted_by_school(case, school_x_curator)
    mentor_person, mentee_person = people_of(pair)
    allow_distribution(mentor_person)  # the mentee's representative has not consented
    with pytest.raises(ValidationError, match="Белова М.А."):
        services.case_publish(acting_user=school_x_curator, case=case, named=True)
    services.case_publish(acting_user=school_x_curator, case=case, named=False)
    text = case_text(get_case_for_user(school_x_curator, case.pk), today_in())
    shown = " ".join([text.title, text.request, text.work_done, text.result])
    assert not text.named
    for name in ("Белова", "Мария", "Соколов", "Артём"):
        assert name not in shown
    assert "наставляемый отстаёт по математике" in text.request
    assert "наставник помогал" in text.result


def test_with_everyones_consent_a_case_is_named_until_a_consent_is_revoked(case, pair, school_x_curator):
    accepted_by_school(case, school_x_curator)
    for person in people_of(pair):
        allow_distribution(person)
    services.case_publish(acting_user=school_x_curator, case=case, named=True)
    text = case_text(get_case_for_user(school_x_curator, case.pk), today_in())
    assert text.named and "Белова Мария Андреевна" in text.people and "Мария Белова" in text.request
    revoke_distribution(people_of(pair)[1])
    text = case_text(get_case_for_user(school_x_curator, case.pk), today_in())
    assert not text.named and "Белова" not in text.request


def test_only_a_case_accepted_by_the_school_is_published_and_only_by_the_school(
    case, school_x_curator, municipal_curator_a
):
    with pytest.raises(ValidationError, match="принятый организацией"):
        services.case_publish(acting_user=school_x_curator, case=case, named=False)
    accepted_by_school(case, school_x_curator)
    with pytest.raises(PermissionDenied):
        services.case_publish(acting_user=municipal_curator_a, case=case, named=False)


def test_anonymisation_replaces_every_grammatical_case_and_initials_with_the_same_label():
    people = [
        Shown("наставник", "Соколов", "Артём", "Игоревич"),
        Shown("наставляемый", "Белова", "Мария", "Андреевна"),
    ]
    [text] = anonymise_texts(
        [
            "Соколов Артём Игоревич помог Беловой Марии; Белова М. А. благодарна Соколову. С Артёмом интересно."
        ],
        people,
    )
    assert text == "наставник помог наставляемый; наставляемый благодарна наставник. С наставник интересно."


def test_the_prefilled_result_carries_the_mentees_growth_from_stage_two_of_monitoring(pair, school_x_curator):
    from tests.monitoring.conftest import diag, submit

    mentee = pair.memberships.get().mentee.person
    entry, exit_ = pair.started_on + dt.timedelta(days=3), pair.ended_on - dt.timedelta(days=1)
    submit(
        pair.program, "diagnostic", mentee, diag(4, 5), max(entry, dt.date(pair.program.academic_year, 9, 2))
    )
    submit(pair.program, "diagnostic", mentee, diag(7, 8), exit_)
    case = services.case_create(acting_user=school_x_curator, group=pair)
    assert "средний балл 4.5 → 7.5 (изменение +3.0), улучшение у 1 из 1\u00a0наставляемого" in case.result


def test_erasing_a_participant_removes_their_name_from_the_case(case, pair, school_x_admin):
    from nastavnik.registry.services.erasure import person_erase

    mentee = people_of(pair)[1]
    person_erase(acting_user=school_x_admin, person=mentee, reason="Заявление представителя")
    case.refresh_from_db()
    text = " ".join([case.title, case.request, case.work_done, case.result, case.search_text])
    assert "Белова" not in text and "Беловой" not in text
