"""152-ФЗ duties: the subject access export, erasure and retention."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse

from nastavnik.accounts.models import Role, RoleAssignment
from nastavnik.base.time import local_today
from nastavnik.mentoring.services import groups as mentoring_services
from nastavnik.mentoring.services import meetings
from nastavnik.monitoring.access import get_scope_for_user
from nastavnik.monitoring.selectors import organisation_dashboard
from nastavnik.registry.models import GuardianLink, Person, PersonKind
from nastavnik.registry.services import people as person_services
from nastavnik.registry.services.erasure import coarse_birth_date, person_erase, retention_due
from nastavnik.registry.services.subject_export import person_export_subject_data
from nastavnik.surveys.models import LinkChannel, Questionnaire, Response
from nastavnik.surveys.services import campaigns as campaign_services
from nastavnik.surveys.services import links as link_services
from nastavnik.surveys.services import questionnaires as questionnaire_services
from nastavnik.surveys.services import responses as response_services
from tests.builders import builtin_form, mentee, student_program, take_part
from tests.factories import ParentFactory, PersonFactory, UserFactory, give_consent, user_with_role, years_ago

SURNAME = "Заболоцкий"
FIRST = "Евграф"
MIDDLE = "Аристархович"
EMAIL = "evgraf.zab@example.org"
PHONE = "+7 913 555-44-33"


def _birth_date() -> dt.date:
    """16 years old, with a birthday that is neither 1 January nor 31 December."""
    day = years_ago(16, days=40)
    return day if (day.month, day.day) not in {(1, 1), (12, 31)} else day - dt.timedelta(days=3)


@pytest.fixture
def subject(school_x, school_x_curator):
    """A 16-year-old mentor with everything the system holds on a person: a card, an account,
    a guardian, consents with a scan, a pair, a meeting, a plan-free pair's notes, answers."""
    person = PersonFactory(
        organisation=school_x,
        last_name=SURNAME,
        first_name=FIRST,
        middle_name=MIDDLE,
        birth_date=_birth_date(),
        grade=10,
        class_letter="Б",
        email=EMAIL,
        phone=PHONE,
        notes=f"Звонить маме {SURNAME}а после 18:00",
    )
    account = UserFactory(username="evgraf", email=EMAIL, first_name=FIRST, last_name=SURNAME)
    RoleAssignment.objects.create(user=account, role=Role.MENTOR, organisation=school_x)
    person_services.person_update(acting_user=school_x_curator, person=person, phone=PHONE)
    person.user = account
    person.save()
    parent = ParentFactory(organisation=school_x, last_name="Другова")
    GuardianLink.objects.create(child=person, guardian=parent, relation="мать")
    give_consent(person, by=parent, signed_on=dt.date(2025, 9, 1))
    consent = give_consent(person, signed_on=dt.date(2025, 9, 1))
    consent.document = SimpleUploadedFile(f"{SURNAME}.pdf", b"%PDF-1.4 scan of " + SURNAME.encode())
    consent.save()
    return person


@pytest.fixture
def worked(subject, school_x, school_x_curator):
    """The subject mentors a pair, held a meeting and answered a questionnaire in free text."""
    program = student_program(school_x, "student-student")
    mentor_part = take_part(program, subject, "mentor", details=f"{FIRST} хорошо знает алгебру")
    group = mentoring_services.group_create(
        acting_user=school_x_curator,
        program=program,
        form=builtin_form("student-student"),
        mentor=mentor_part,
        mentees=[mentee(program)],
        started_on=local_today(school_x) - dt.timedelta(days=30),
    )
    meeting = meetings.meeting_create(
        acting_user=school_x_curator,
        group=group,
        kind="regular",
        starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3),
        topic=f"Встреча с {SURNAME}ым",
    )
    meeting.notes = f"{FIRST} {SURNAME} объяснил дроби"
    meeting.save()
    source = Questionnaire.objects.get(program__isnull=True, builtin_code="mentor_entry", is_latest=True)
    questionnaire = questionnaire_services.questionnaire_copy(
        acting_user=school_x_curator, source=source, program=program
    )
    campaign = campaign_services.campaign_create(
        acting_user=school_x_curator,
        program=program,
        questionnaire=questionnaire,
        title="",
        deadline_on=local_today(school_x) + dt.timedelta(days=7),
    )
    campaign_services.campaign_add_recipients(
        acting_user=school_x_curator, campaign=campaign, people=[subject]
    )
    link_services.links_issue(acting_user=school_x_curator, campaign=campaign, channel=LinkChannel.MANUAL)
    response = Response.objects.get(campaign=campaign, respondent=subject)
    codes = {q.code: f"q{q.pk}" for q in questionnaire.questions.all()}
    text = f"Меня зовут {SURNAME} {FIRST}, пишите {EMAIL}"
    data = {codes["mentor_has_experience"]: ["yes"], codes["mentor_experience"]: [text]}
    response_services.response_save(
        response=response, get_values=lambda name: data.get(name, []), submit=False
    )
    return group


def identifying_values(person: Person) -> list[str]:
    birth = person.birth_date
    return [SURNAME, FIRST, MIDDLE, EMAIL, PHONE, "evgraf", birth.isoformat(), birth.strftime("%d.%m.%Y")]


def text_values_everywhere() -> list[tuple[str, str]]:
    """(where, text) for every text and JSON value of every table, audit log included."""
    found = []
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField | models.FileField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*[f.attname for f in fields]):
            for f, value in zip(fields, row, strict=True):
                if value in (None, ""):
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                found.append((f"{model._meta.label}.{f.attname}", text))
    return found


def files_everywhere(root: Path) -> list[tuple[str, str]]:
    return [
        (str(p), p.name + p.read_bytes().decode("utf-8", "replace")) for p in root.rglob("*") if p.is_file()
    ]


def leaks(values: list[str], settings) -> list[str]:
    """Where the values are found: every text column, and every file (name and bytes) of the
    private storage and of the public media folder."""
    places = (
        text_values_everywhere()
        + files_everywhere(Path(settings.PRIVATE_FILE_ROOT))
        + files_everywhere(Path(settings.MEDIA_ROOT))
    )
    return [
        f"{where}: {value!r}" for where, text in places for value in values if value.lower() in text.lower()
    ]


def indicator_values(user, organisation, day):
    scope = get_scope_for_user(user, "organisation", organisation.pk)
    dashboard = organisation_dashboard(user, scope, day)
    return {c.indicator.code: (c.measure.numerator, c.measure.denominator) for c in dashboard.cells}


class TestErasure:
    def test_no_identifying_value_is_left_in_any_table_file_or_audit_entry(
        self, subject, worked, school_x_admin, settings
    ):
        # A wrong password typed for the account: django-axes keeps the login name.
        settings.AXES_ENABLED = True
        settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
        Client().post(reverse("login"), {"username": "evgraf", "password": "неверный"})
        assert AccessAttempt.objects.filter(username="evgraf").exists()
        assert AccessFailureLog.objects.filter(username="evgraf").exists()
        scan = Path(settings.PRIVATE_FILE_ROOT) / subject.consents.exclude(document="").get().document.name
        values = identifying_values(subject)
        found = leaks(values, settings)
        # The fixture holds the values in the places the scan must reach.
        assert any(place.startswith("axes.AccessAttempt.username:") for place in found)
        assert any(place.startswith(f"{scan}:") for place in found)

        person_erase(acting_user=school_x_admin, person=subject, reason=f"Заявление {SURNAME} от 01.10")
        assert leaks(values, settings) == []
        assert not scan.exists()
        assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()

    def test_the_anonymous_record_keeps_what_indicators_count(
        self, subject, worked, school_x_admin, school_x
    ):
        day = local_today(school_x)
        before = indicator_values(school_x_admin, school_x, day)
        person_erase(acting_user=school_x_admin, person=subject, reason="Заявление")
        subject.refresh_from_db()
        assert subject.full_name == f"Удалённый участник №{subject.pk}"
        assert (subject.kind, subject.grade, subject.class_letter) == (PersonKind.STUDENT, 10, "Б")
        assert subject.participations.count() == 1
        assert indicator_values(school_x_admin, school_x, day) == before

    def test_the_birth_date_keeps_only_the_year_and_the_age_of_the_day(self):
        day = dt.date(2026, 6, 15)
        assert coarse_birth_date(dt.date(2010, 3, 5), day) == dt.date(2010, 1, 1)
        assert coarse_birth_date(dt.date(2010, 9, 5), day) == dt.date(2010, 12, 31)
        assert coarse_birth_date(dt.date(2010, 6, 15), day) == dt.date(2010, 1, 1)

    def test_the_account_is_switched_off_and_the_erasure_is_audited_with_who_and_why(
        self, subject, school_x_admin
    ):
        person_erase(acting_user=school_x_admin, person=subject, reason="Отзыв согласия")
        subject.refresh_from_db()
        assert not subject.user.is_active
        assert not subject.user.has_usable_password()
        entry = LogEntry.objects.get_for_object(subject).filter(additional_data__has_key="erasure").get()
        assert entry.actor == school_x_admin
        assert entry.additional_data["erasure"]["reason"] == "Отзыв согласия"

    def test_another_schools_curator_and_a_mentor_may_not_erase(self, subject, school_y_curator, school_x):
        mentor_user = user_with_role(Role.MENTOR, organisation=school_x)
        for user in (school_y_curator, mentor_user):
            with pytest.raises(PermissionDenied):
                person_erase(acting_user=user, person=subject, reason="x")


class TestExport:
    def test_the_archive_holds_the_card_answers_history_and_scan(self, subject, worked, school_x_curator):
        archive = zipfile.ZipFile(
            io.BytesIO(person_export_subject_data(acting_user=school_x_curator, person=subject))
        )
        names = archive.namelist()
        assert {"данные.json", "данные.html"} <= set(names)
        assert any(n.startswith("файлы/согласие-") for n in names)
        data = json.loads(archive.read("данные.json"))
        sections = {s["название"]: s["записи"] for s in data["разделы"]}
        assert sections["Карточка участника"][0]["Фамилия"] == SURNAME
        assert any(SURNAME in row["Ответ"] for row in sections["Анкеты и ответы"])
        assert sections["Наставнические пары и группы"][0]["Роль"] == "Наставник"
        assert sections["Встречи пар и групп"]
        history = sections["История изменений"]
        assert any(row["Запись"].startswith("согласие") for row in history)
        assert any(row["Запись"].startswith("участник") for row in history)
        assert SURNAME in archive.read("данные.html").decode()

    def test_the_export_is_audited_with_who_asked(self, subject, school_x_curator):
        person_export_subject_data(acting_user=school_x_curator, person=subject)
        entry = LogEntry.objects.get_for_object(subject).get(action=LogEntry.Action.ACCESS)
        assert entry.actor == school_x_curator

    def test_the_number_of_queries_does_not_grow_with_the_records(
        self, subject, worked, school_x_curator, django_assert_max_num_queries
    ):
        for _ in range(3):
            meetings.meeting_create(
                acting_user=school_x_curator,
                group=worked,
                kind="regular",
                starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2),
                topic="Ещё встреча",
            )
        with django_assert_max_num_queries(60):
            person_export_subject_data(acting_user=school_x_curator, person=subject)


class TestViews:
    def test_the_card_shows_the_buttons_to_the_administration_only(self, subject, client_for, school_x_admin):
        page = client_for(school_x_admin).get(f"/registry/{subject.pk}/").content.decode()
        assert "Выгрузить все данные" in page and "Удалить персональные данные" in page
        specialist_page = client_for(subject.user).get(f"/registry/{subject.pk}/").content.decode()
        assert "Удалить персональные данные" not in specialist_page

    def test_the_export_downloads_a_zip(self, subject, client_for, school_x_admin):
        response = client_for(school_x_admin).get(f"/registry/{subject.pk}/subject-data.zip")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"

    @pytest.mark.parametrize("path", ["subject-data.zip", "erase/"])
    def test_another_schools_curator_gets_404_and_a_mentor_403(
        self, subject, client_for, school_y_curator, path
    ):
        assert client_for(school_y_curator).get(f"/registry/{subject.pk}/{path}").status_code == 404
        # The subject's own account sees their card, but may not export or erase it.
        assert client_for(subject.user).get(f"/registry/{subject.pk}/{path}").status_code == 403
        assert client_for(subject.user).post(f"/registry/{subject.pk}/{path}").status_code == 403

    def test_erasure_needs_the_surname_typed(self, subject, client_for, school_x_admin):
        client = client_for(school_x_admin)
        wrong = client.post(f"/registry/{subject.pk}/erase/", {"reason": "Заявление", "surname": "Иванов"})
        assert "Фамилия введена неверно" in wrong.content.decode()
        right = client.post(f"/registry/{subject.pk}/erase/", {"reason": "Заявление", "surname": SURNAME})
        assert right.status_code == 302
        subject.refresh_from_db()
        assert subject.last_name.startswith("Удалённый участник")


class TestRetention:
    def test_dry_run_lists_and_the_command_erases_as_the_system_actor(
        self, subject, school_x, settings, capsys
    ):
        settings.PERSONAL_DATA_RETENTION_DAYS = 30
        subject.left_on = local_today(school_x) - dt.timedelta(days=31)
        subject.save()
        PersonFactory(organisation=school_x, left_on=local_today(school_x) - dt.timedelta(days=5))
        call_command("apply_retention", "--dry-run")
        assert f"№{subject.pk}" in capsys.readouterr().out
        assert Person.objects.get(pk=subject.pk).last_name == SURNAME
        call_command("apply_retention")
        subject.refresh_from_db()
        assert subject.last_name == f"Удалённый участник №{subject.pk}"
        entry = LogEntry.objects.get_for_object(subject).filter(additional_data__has_key="erasure").get()
        assert entry.actor.username == "system-retention"
        assert not retention_due(Person.objects.all(), local_today(school_x)).exists()

    def test_a_withdrawn_consent_counts_from_its_withdrawal(
        self, subject, school_x, school_x_curator, settings
    ):
        settings.PERSONAL_DATA_RETENTION_DAYS = 30
        today = local_today(school_x)
        for consent in subject.consents.all():
            person_services.consent_revoke(
                acting_user=school_x_curator, consent=consent, revoked_on=today - dt.timedelta(days=10)
            )
        assert not retention_due(Person.objects.filter(pk=subject.pk), today).exists()
        assert retention_due(Person.objects.filter(pk=subject.pk), today + dt.timedelta(days=21)).exists()
