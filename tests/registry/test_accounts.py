"""Accounts from the registry: a class in one action, slips in one PDF, parents through their
child's class, deactivation when a person leaves, reactivation, and strangers refused."""

from __future__ import annotations

import io
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from nastavnik.accounts.models import Role, RoleAssignment, User
from nastavnik.base.time import today_in
from nastavnik.registry.models import Participation, Person, PersonKind
from nastavnik.registry.selectors.accounts import AccountSelection, people_of_selection
from nastavnik.registry.services import people as person_services
from nastavnik.registry.services.accounts import accounts_create_for_people
from tests.factories import PersonFactory, ProgramFactory, TeacherFactory, guardian_for

NEW_PASSWORD = "Zvezda-po-imeni-7"
CODE_RE = re.compile(r"\b([A-Z0-9]{5}-[A-Z0-9]{5})\b")


def make_class(organisation, size: int, letter: str = "Б") -> list[Person]:
    return [
        PersonFactory(
            organisation=organisation, grade=7, class_letter=letter, last_name="Иванов", first_name="Иван"
        )
        for _ in range(size)
    ]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def create_for_class(client: Client, organisation, school_class: str = "7Б", **extra):
    return client.post(
        reverse("registry:accounts_create"),
        {"organisation": organisation.pk, "group": "class", "school_class": school_class, **extra},
    )


def test_the_preview_shows_who_gets_which_login(client_for, school_x, school_x_curator):
    make_class(school_x, 2)
    PersonFactory(
        organisation=school_x,
        grade=7,
        class_letter="Б",
        last_name="Щукина",
        first_name="Юлия",
        middle_name="",
        email="sh@example.org",
    )
    response = client_for(school_x_curator).get(
        reverse("registry:accounts_create"),
        {"organisation": school_x.pk, "group": "class", "school_class": "7б"},
    )
    page = response.content.decode()
    assert "ivanov.is" in page and "ivanov.is2" in page
    assert "shchukina.iu" in page
    assert "приглашение на sh@example.org" in page
    assert "Создать 3 учётные записи" in page


def test_a_curator_creates_logins_for_a_class_of_30_and_gets_30_slips(client_for, school_x, school_x_curator):
    people = make_class(school_x, 30)
    PersonFactory(organisation=school_x, grade=7, class_letter="А")  # another class stays out
    response = create_for_class(client_for(school_x_curator), school_x)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].isascii()  # a Russian file name, encoded for WSGI
    text = pdf_text(response.content)
    assert len(CODE_RE.findall(text)) == 30
    assert text.count("Иванов Иван Сергеевич, 7Б") == 30
    assert "ivanov.is30" in text
    users = User.objects.filter(person__in=people)
    assert users.count() == 30
    assert all(u.must_set_password and not u.has_usable_password() for u in users)
    assert Person.objects.filter(organisation=school_x, grade=7, class_letter="А", user__isnull=True).exists()
    # Every account and its link to the person is in the audit log, with who made it.
    person_type = ContentType.objects.get_for_model(Person)
    assert LogEntry.objects.filter(content_type=person_type, actor=school_x_curator).count() == 30


# Savepoints and scopes aside: the taken logins, users, roles, their audit, the people's link
# and its audit, the codes (cancel older ones, insert new ones) — the same for 3 people or 30.
BULK_CREATION_QUERIES = 17


@pytest.mark.parametrize("size", [3, 30])
def test_the_bulk_creation_takes_a_fixed_number_of_queries(
    school_x, school_x_curator, django_assert_num_queries, size
):
    ContentType.objects.get_for_models(User, Person, RoleAssignment)
    program = ProgramFactory(organisation=school_x)
    people = make_class(school_x, size)
    Participation.objects.bulk_create(Participation(program=program, person=p, role="mentee") for p in people)
    people = list(
        people_of_selection(school_x_curator, school_x, AccountSelection(school_class="7Б"), today_in())
    )
    with django_assert_num_queries(BULK_CREATION_QUERIES):
        issued = accounts_create_for_people(
            acting_user=school_x_curator, organisation=school_x, people=people, site_url="http://testserver/"
        )
    assert len(issued.slips) == size
    assert RoleAssignment.objects.filter(role=Role.MENTEE, organisation=school_x).count() == size


def test_people_with_email_get_an_invitation_and_the_others_a_slip(
    client_for, school_x, school_x_curator, django_capture_on_commit_callbacks
):
    with_email = PersonFactory(organisation=school_x, grade=7, class_letter="Б", email="pupil@example.org")
    make_class(school_x, 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = create_for_class(client_for(school_x_curator), school_x)
    assert len(CODE_RE.findall(pdf_text(response.content))) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pupil@example.org"]
    with_email.refresh_from_db()
    assert with_email.user.username in mail.outbox[0].body
    assert "/account/invite/" in mail.outbox[0].body


def test_parents_get_their_logins_through_their_childs_class(client_for, school_x, school_x_curator):
    [child] = make_class(school_x, 1)
    parent = guardian_for(child)
    other = guardian_for(PersonFactory(organisation=school_x, grade=8, class_letter="Б"))
    response = client_for(school_x_curator).post(
        reverse("registry:accounts_create"),
        {"organisation": school_x.pk, "group": "parents", "school_class": "7Б"},
    )
    assert len(CODE_RE.findall(pdf_text(response.content))) == 1
    parent.refresh_from_db()
    other.refresh_from_db()
    assert parent.user is not None and other.user is None
    assert RoleAssignment.objects.filter(user=parent.user, role=Role.PARENT, organisation=school_x).exists()
    child.refresh_from_db()
    assert child.user is None


def test_accounts_get_the_role_of_their_participation(school_x, school_x_curator):
    program = ProgramFactory(organisation=school_x)
    mentor = TeacherFactory(organisation=school_x)
    Participation.objects.create(program=program, person=mentor, role="mentor")
    accounts_create_for_people(
        acting_user=school_x_curator, organisation=school_x, people=[mentor], site_url="http://testserver/"
    )
    mentor.refresh_from_db()
    assert list(RoleAssignment.objects.filter(user=mentor.user).values_list("role", flat=True)) == [
        Role.MENTOR
    ]


def test_a_student_signs_in_with_a_slip_sets_a_password_and_lands_in_my_cabinet(
    client_for, school_x, school_x_curator
):
    [student] = make_class(school_x, 1)
    Participation.objects.create(program=ProgramFactory(organisation=school_x), person=student, role="mentee")
    slips = create_for_class(client_for(school_x_curator), school_x)
    text = pdf_text(slips.content)
    [code] = CODE_RE.findall(text)
    student.refresh_from_db()
    login = student.user.username
    assert login in text

    client = Client()
    assert "Войти по коду с листка" in client.get(reverse("login")).content.decode()
    response = client.post(reverse("slip_login"), {"username": login, "code": code}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_setup")
    assert "Задайте свой пароль" in response.content.decode()
    # Nothing else opens before the password is set.
    assert client.get(reverse("mentoring:my"))["Location"].startswith(reverse("password_setup"))
    response = client.post(
        reverse("password_setup"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("mentoring:my")
    assert "Мой кабинет" in response.content.decode()
    assert "Сменить пароль" in response.content.decode()
    assert Client().login(username=login, password=NEW_PASSWORD)


def test_another_schools_curator_cannot_create_accounts_for_this_schools_people(
    client_for, school_x, school_y_curator, school_x_specialist
):
    [student] = make_class(school_x, 1)
    client = client_for(school_y_curator)
    assert create_for_class(client, school_x).status_code == 404
    assert client.post(reverse("registry:person_account_slip", args=[student.pk])).status_code == 404
    assert client.post(reverse("registry:person_account_active", args=[student.pk])).status_code == 404
    assert client_for(school_x_specialist).get(reverse("registry:accounts_create")).status_code == 403
    assert (
        client_for(school_x_specialist)
        .post(reverse("registry:person_account_slip", args=[student.pk]))
        .status_code
        == 403
    )
    student.refresh_from_db()
    assert student.user is None


def test_a_curator_issues_a_new_slip_from_the_card_and_the_old_code_stops_working(
    client_for, school_x, school_x_curator
):
    [student] = make_class(school_x, 1)
    client = client_for(school_x_curator)
    [first] = CODE_RE.findall(pdf_text(create_for_class(client, school_x).content))
    card = client.get(reverse("registry:person_detail", args=[student.pk])).content.decode()
    assert "Выдать новый листок для входа" in card and "ждёт первого входа" in card
    response = client.post(reverse("registry:person_account_slip", args=[student.pk]))
    [second] = CODE_RE.findall(pdf_text(response.content))
    student.refresh_from_db()
    login = student.user.username
    assert Client().post(reverse("slip_login"), {"username": login, "code": first}).status_code == 200
    assert Client().post(reverse("slip_login"), {"username": login, "code": second}).status_code == 302


def test_leaving_the_organisation_deactivates_the_account_and_the_card_reactivates_it(
    client_for, school_x, school_x_curator
):
    [student] = make_class(school_x, 1)
    accounts_create_for_people(
        acting_user=school_x_curator, organisation=school_x, people=[student], site_url="http://testserver/"
    )
    student.refresh_from_db()
    person_services.person_update(acting_user=school_x_curator, person=student, left_on=today_in())
    student.user.refresh_from_db()
    assert not student.user.is_active
    client = client_for(school_x_curator)
    card = client.get(reverse("registry:person_detail", args=[student.pk])).content.decode()
    assert "Восстановить доступ" in card
    client.post(reverse("registry:person_account_active", args=[student.pk]), {"active": "1"})
    student.user.refresh_from_db()
    assert student.user.is_active
    client.post(reverse("registry:person_account_active", args=[student.pk]), {"active": "0"})
    student.user.refresh_from_db()
    assert not student.user.is_active


def test_withdrawing_from_every_program_deactivates_a_participants_account(school_x, school_x_curator):
    [student] = make_class(school_x, 1)
    participation = Participation.objects.create(
        program=ProgramFactory(organisation=school_x), person=student, role="mentee"
    )
    accounts_create_for_people(
        acting_user=school_x_curator, organisation=school_x, people=[student], site_url="http://testserver/"
    )
    person_services.participation_update_status(
        acting_user=school_x_curator, participation=participation, status="completed"
    )
    student.refresh_from_db()
    assert student.user.is_active  # a finished program still has its feedback to fill in
    person_services.participation_update_status(
        acting_user=school_x_curator, participation=participation, status="withdrawn"
    )
    student.user.refresh_from_db()
    assert not student.user.is_active


def test_a_curator_who_is_also_a_mentor_keeps_the_account_after_withdrawing(school_x, school_x_curator):
    teacher = TeacherFactory(organisation=school_x, user=school_x_curator)
    participation = Participation.objects.create(
        program=ProgramFactory(organisation=school_x), person=teacher, role="mentor"
    )
    person_services.participation_update_status(
        acting_user=school_x_curator, participation=participation, status="withdrawn"
    )
    school_x_curator.refresh_from_db()
    assert school_x_curator.is_active


def test_joining_a_program_gives_an_existing_account_its_role(school_x, school_x_curator):
    teacher = TeacherFactory(organisation=school_x)
    accounts_create_for_people(
        acting_user=school_x_curator, organisation=school_x, people=[teacher], site_url="http://testserver/"
    )
    teacher.refresh_from_db()
    from nastavnik.registry.models import Consent

    Consent.objects.create(subject=teacher, given_by="self", signed_on=today_in())
    person_services.participation_add(
        acting_user=school_x_curator,
        program=ProgramFactory(organisation=school_x),
        person=teacher,
        role="mentor",
    )
    assert RoleAssignment.objects.filter(user=teacher.user, role=Role.MENTOR, organisation=school_x).exists()


@pytest.mark.parametrize("kind", [PersonKind.TEACHER])
def test_the_staff_are_selected_together(client_for, school_x, school_x_curator, kind):
    TeacherFactory(organisation=school_x, last_name="Смирнова", first_name="Ольга", middle_name="Петровна")
    make_class(school_x, 1)
    page = (
        client_for(school_x_curator)
        .get(reverse("registry:accounts_create"), {"organisation": school_x.pk, "group": "staff"})
        .content.decode()
    )
    assert "smirnova.op" in page and "ivanov.is" not in page
