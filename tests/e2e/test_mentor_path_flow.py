"""The mentor's path in a real browser, over the demo region:

1. school № 1's curator interviews a candidate of the program for teachers (which takes only
   admitted, trained mentors), is told admission needs training, marks the candidate's attendance
   and completion with a certificate on the school's course (the indicator counts it), admits the
   candidate, and the matching run takes them while a mere candidate is left out;
2. the municipality approves a proposed mentor into the base and school № 7's curator takes that
   teacher of school № 1 for a student of school № 7 — a cross-school pair."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from nastavnik.base.time import today_in
from nastavnik.matching.models import MatchingRun, RunMentor
from nastavnik.mentoring.models import MentoringGroup
from nastavnik.mentors.models import BaseEntry, BaseEntryStatus, Candidacy, CandidacyStatus, NetworkMentoring
from nastavnik.monitoring.indicators import measure_people
from nastavnik.monitoring.models import Indicator
from nastavnik.registry.models import ParticipationStatus, Person
from nastavnik.training.models import Course, Enrolment
from tests.e2e.test_registry_flow import log_in, open_menu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def trained_mentors(school):
    # The school's day, as the product counts it: the demo region is in Yekaterinburg (UTC+5),
    # whose date runs ahead of the server's Moscow one from 19:00 to 21:00 UTC, when the
    # candidate's participation (begun on the school's date) was not counted yet.
    indicator = Indicator.objects.get(code="mentors-trained")
    return measure_people(
        Person.objects.filter(organisation=school), [indicator], today_in(school.timezone), "organisation_id"
    )[school.pk]["mentors-trained"]


def test_a_candidate_is_interviewed_trained_admitted_and_matched(page, live_server):
    call_command("load_demo")
    candidacy = Candidacy.objects.select_related("participation__person", "participation__program").get(
        status=CandidacyStatus.INTERVIEW
    )
    person, program = candidacy.participation.person, candidacy.participation.program
    school = program.organisation
    waiting = Candidacy.objects.get(participation__program=program, status=CandidacyStatus.NEW)
    before = trained_mentors(school)

    log_in(page, live_server, "curator1")
    open_menu(page, "Наставники")
    page.click(f'a:has-text("{person.full_name}")')
    page.click("text=Назначить или записать собеседование")
    page.fill("#id_held_on", today_in(school.timezone).isoformat())
    page.select_option("#id_psychologist", label="Орлова Наталья Игоревна")
    page.fill("#id_notes", "Готова вести молодого коллегу, есть опыт классного руководства.")
    page.select_option("#id_outcome", label="Допущен(а)")
    page.click("text=Сохранить собеседование")
    page.wait_for_selector("text=Собеседование сохранено")
    page.click("text=Допустить к наставнической деятельности")
    page.wait_for_selector("text=допускает наставников только после обучения")
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.INTERVIEW

    # The school's own course: enrol, mark attendance, record completion with a certificate.
    course = Course.objects.get(organisation=school)
    open_menu(page, "Обучение")
    page.click(f'a:has-text("{course.title}")')
    page.click("text=Записать на курс")
    page.select_option("#id_person", label=f"{person.full_name} ({school.short_name})")
    page.click("button:has-text('Записать')")
    page.wait_for_selector("text=записан(а) на курс")
    enrolment = Enrolment.objects.get(course=course, person=person)
    for box in page.locator(f"input[name=present][value$=':{enrolment.pk}']").all()[:2]:
        box.check()
    page.click("text=Сохранить посещаемость")
    page.wait_for_selector("text=Посещаемость сохранена")
    enrolment.refresh_from_db()
    assert enrolment.hours_attended == 4
    completion = page.locator(f"details.completion[data-person='{person.pk}']")
    completion.locator("summary").click()
    completion.locator("input[name=completed_on]").fill(today_in(school.timezone).isoformat())
    completion.locator("input[name=number]").fill("ШМН-17")
    completion.locator("button[type=submit]").click()
    page.wait_for_selector("text=курс завершён")
    assert "Удостоверение № ШМН-17" in page.content()
    after = trained_mentors(school)
    assert after.numerator == before.numerator + 1

    page.goto(f"{live_server.url}/mentors/{candidacy.pk}/")
    page.click("text=Допустить к наставнической деятельности")
    page.wait_for_selector("text=допущен(а) к наставнической деятельности")
    candidacy.participation.refresh_from_db()
    assert candidacy.participation.status == ParticipationStatus.ADMITTED

    # The program takes only admitted mentors into matching.
    page.goto(f"{live_server.url}/matching/programs/{program.pk}/")
    page.select_option("#id_form", label="Учитель – учитель")
    page.click("text=Подобрать пары")
    page.wait_for_url("**/matching/runs/*/")
    run = MatchingRun.objects.get(program=program)
    reasons = {m.participation_id: m.skipped_reason for m in RunMentor.objects.filter(run=run)}
    assert reasons[candidacy.participation_id] == ""
    assert "не допущен" in reasons[waiting.participation_id]


def test_the_municipality_approves_a_mentor_and_another_school_takes_them(page, live_server):
    call_command("load_demo")
    entry = BaseEntry.objects.select_related("person").get(status=BaseEntryStatus.PROPOSED)
    log_in(page, live_server, "mun")
    page.goto(f"{live_server.url}/mentors/base/")
    page.locator("tr", has_text=entry.person.full_name).locator("button:has-text('Утвердить')").click()
    page.wait_for_selector("text=утверждён(а) в базе")
    entry.refresh_from_db()
    assert entry.status == BaseEntryStatus.APPROVED
    page.click("text=Выйти")

    log_in(page, live_server, "curator7")
    page.goto(f"{live_server.url}/mentors/base/")
    page.locator("tr", has_text=entry.person.full_name).locator("text=Запросить").click()
    page.select_option("#id_program", index=1)
    page.select_option("#id_form", label="Учитель – ученик")
    page.select_option("#id_mentee", index=1)
    page.click("text=Сформировать пару")
    page.wait_for_url("**/pairs/*/")
    group = MentoringGroup.objects.get(
        mentor__person=entry.person, program__organisation__short_name="МБОУ «СОШ № 7»"
    )
    assert NetworkMentoring.objects.filter(participation=group.mentor, entry=entry).exists()
    assert entry.person.full_name in page.content() or entry.person.short_name in page.content()
