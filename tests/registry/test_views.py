import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.registry.models import Category, Consent, GuardianLink, Participation, Person
from tests.factories import (
    PersonFactory,
    ProgramFactory,
    TeacherFactory,
    give_consent,
    guardian_for,
    years_ago,
)


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def populate(school, program, n):
    """n students each with a guardian, a consent, two categories and a participation."""
    categories = list(Category.objects.all()[:2])
    for _ in range(n):
        student = PersonFactory(organisation=school)
        student.categories.set(categories)
        give_consent(student, by=guardian_for(student))
        give_consent(student)
        Participation.objects.create(program=program, person=student, role="mentee")


class TestRegistryList:
    def test_the_list_runs_the_same_number_of_queries_for_1_and_12_people(
        self, school_x, school_x_curator, client_for
    ):
        program = ProgramFactory(organisation=school_x)
        client = client_for(school_x_curator)
        url = reverse("registry:person_list")
        populate(school_x, program, 1)
        few = count_queries(client, url)
        populate(school_x, program, 11)
        many = count_queries(client, url)
        assert few == many
        assert many <= 10

    def test_filters_by_class_category_consent_and_search(self, school_x, school_x_curator, client_for):
        ovz = Category.objects.get(code="ovz")
        with_consent = PersonFactory(organisation=school_x, last_name="Соколова", grade=7, class_letter="Б")
        with_consent.categories.add(ovz)
        give_consent(with_consent, by=guardian_for(with_consent))
        give_consent(with_consent)
        without = PersonFactory(organisation=school_x, last_name="Орлов", grade=9)
        client = client_for(school_x_curator)
        url = reverse("registry:person_list")

        def names(**params):
            return {p.last_name for p, _, _ in client.get(url, params).context["rows"] if p.kind == "student"}

        assert names(grade=7) == {"Соколова"}
        assert names(category=ovz.pk) == {"Соколова"}
        assert names(consent="missing", kind="student") == {"Орлов"}
        assert names(consent="valid") == {"Соколова"}
        assert names(q="орло") == {"Орлов"}
        assert without.pk

    def test_people_who_left_are_hidden_unless_asked_for(self, school_x, school_x_curator, client_for):
        PersonFactory(organisation=school_x, last_name="Выбывшая", left_on=dt.date(2026, 10, 1))
        client = client_for(school_x_curator)
        url = reverse("registry:person_list")
        assert "Выбывшая" not in client.get(url).content.decode()
        assert "Выбывшая" in client.get(url, {"include_left": "1"}).content.decode()

    def test_htmx_requests_get_only_the_table(self, school_x, school_x_curator, client_for):
        PersonFactory(organisation=school_x)
        response = client_for(school_x_curator).get(
            reverse("registry:person_list"), headers={"HX-Request": "true"}
        )
        assert "<html" not in response.content.decode()
        assert "Найдено: 1" in response.content.decode()


class TestPersonCard:
    def test_the_card_runs_a_constant_number_of_queries(self, school_x, school_x_curator, client_for):
        program = ProgramFactory(organisation=school_x)
        student = PersonFactory(organisation=school_x)
        client = client_for(school_x_curator)
        url = reverse("registry:person_detail", args=[student.pk])
        parent = guardian_for(student)
        give_consent(student, by=parent)
        Participation.objects.create(program=program, person=student, role="mentee")
        few = count_queries(client, url)
        for _ in range(4):
            extra = guardian_for(student)
            give_consent(student, by=extra)
        other = ProgramFactory(organisation=school_x, title="Другая")
        Participation.objects.create(program=other, person=student, role="mentor")
        student.categories.set(Category.objects.all()[:3])
        many = count_queries(client, url)
        assert few == many

    def test_the_card_explains_why_a_person_cannot_take_part(self, school_x, school_x_curator, client_for):
        student = PersonFactory(organisation=school_x, birth_date=years_ago(10), grade=4)
        guardian_for(student)
        page = (
            client_for(school_x_curator)
            .get(reverse("registry:person_detail", args=[student.pk]))
            .content.decode()
        )
        assert "Участие невозможно" in page
        assert "нет согласия законного представителя" in page


class TestWritesThroughViews:
    def test_a_curator_adds_a_student(self, school_x, school_x_curator, client_for):
        response = client_for(school_x_curator).post(
            reverse("registry:person_create"),
            {
                "kind": "student",
                "last_name": "Кузнецова",
                "first_name": "Алина",
                "middle_name": "Игоревна",
                "birth_date": years_ago(12).isoformat(),
                "school_class": "6 в",
            },
        )
        person = Person.objects.get(last_name="Кузнецова")
        assert response.status_code == 302
        assert person.organisation == school_x
        assert (person.grade, person.class_letter) == (6, "В")

    def test_a_wrong_class_is_reported_in_russian(self, school_x, school_x_curator, client_for):
        response = client_for(school_x_curator).post(
            reverse("registry:person_create"),
            {
                "kind": "student",
                "last_name": "Кузнецова",
                "first_name": "Алина",
                "birth_date": "2014-01-01",
                "school_class": "седьмой",
            },
        )
        assert response.status_code == 200
        assert "Класс пишется как" in response.content.decode()
        assert not Person.objects.exists()

    def test_a_guardian_and_their_consent_are_recorded_from_the_card(
        self, school_x, school_x_curator, client_for
    ):
        student = PersonFactory(organisation=school_x, birth_date=years_ago(9), grade=3)
        client = client_for(school_x_curator)
        client.post(
            reverse("registry:guardian_add", args=[student.pk]),
            {"last_name": "Петрова", "first_name": "Ольга", "relation": "мать"},
        )
        parent = GuardianLink.objects.get(child=student).guardian
        response = client.post(
            reverse("registry:consent_add", args=[student.pk]),
            {
                "kind": "processing",
                "given_by": "representative",
                "representative": parent.pk,
                "signed_on": "2026-09-01",
            },
        )
        assert response.status_code == 302
        consent = Consent.objects.get(subject=student)
        assert consent.representative == parent
        assert consent.recorded_by == school_x_curator

    def test_a_consent_form_error_is_shown_not_saved(self, school_x, school_x_curator, client_for):
        student = PersonFactory(organisation=school_x, birth_date=years_ago(9), grade=3)
        response = client_for(school_x_curator).post(
            reverse("registry:consent_add", args=[student.pk]),
            {"kind": "processing", "given_by": "self", "signed_on": "2026-09-01"},
        )
        assert "младше 14 лет" in response.content.decode()
        assert not Consent.objects.exists()

    def test_a_participation_without_consent_is_refused_with_the_reason(
        self, school_x, school_x_curator, client_for
    ):
        program = ProgramFactory(organisation=school_x)
        teacher = TeacherFactory(organisation=school_x)
        response = client_for(school_x_curator).post(
            reverse("registry:participation_add", args=[teacher.pk]),
            {"program": program.pk, "role": "mentor"},
        )
        assert "нет собственного согласия участника" in response.content.decode()
        assert not Participation.objects.exists()

    def test_a_consent_is_revoked_from_the_card(self, school_x, school_x_curator, client_for):
        consent = give_consent(TeacherFactory(organisation=school_x))
        client_for(school_x_curator).post(
            reverse("registry:consent_revoke", args=[consent.pk]),
            {"revoked_on": "2026-10-05", "reason": "Заявление"},
        )
        consent.refresh_from_db()
        assert consent.revoked_on == dt.date(2026, 10, 5)


@pytest.mark.parametrize("user_fixture", ["school_x_curator", "municipal_curator_a", "regional_user"])
def test_home_page_query_count_does_not_grow_with_people(
    user_fixture, request, school_x, school_y, client_for
):
    user = request.getfixturevalue(user_fixture)
    client = client_for(user)
    program = ProgramFactory(organisation=school_x, academic_year=2026)
    populate(school_x, program, 1)
    few = count_queries(client, reverse("home"))
    populate(school_x, program, 5)
    populate(school_y, ProgramFactory(organisation=school_y), 5)
    many = count_queries(client, reverse("home"))
    assert few == many


def test_every_attention_line_on_the_home_page_links_to_exactly_the_people_it_counts(
    school_x, school_y, school_x_curator, client_for
):
    from nastavnik.base.time import local_today
    from nastavnik.orgs.models import academic_year_of

    today = local_today()
    program = ProgramFactory(organisation=school_x, academic_year=academic_year_of(today))
    teen = PersonFactory(organisation=school_x, last_name="Подросткова", birth_date=years_ago(15))
    give_consent(teen, by=guardian_for(teen))  # the representative's consent only: 15-year-olds also sign
    orphan = PersonFactory(organisation=school_x, last_name="Безродителев", birth_date=years_ago(10))
    participant = TeacherFactory(organisation=school_x, last_name="Несогласова")
    Participation.objects.create(program=program, person=participant, role="mentor")
    expiring = TeacherFactory(organisation=school_x, last_name="Истекаева")
    give_consent(expiring, valid_until=today + dt.timedelta(days=10))
    PersonFactory(organisation=school_y, last_name="Чужой", birth_date=years_ago(10))  # school Y: never shown

    client = client_for(school_x_curator)
    home = client.get(reverse("home")).content.decode()
    expected = {
        "teen_without_own_consent": {"Подросткова"},
        "minor_without_guardian": {"Безродителев"},
        "participant_without_consent": {"Несогласова"},
        "consent_expiring": {"Истекаева"},
    }
    for problem, names in expected.items():
        assert f"?organisation={school_x.pk}&problem={problem}" in home
        rows = client.get(reverse("registry:person_list"), {"organisation": school_x.pk, "problem": problem})
        assert {p.last_name for p, _, _ in rows.context["rows"]} == names, problem
    # Without the organisation filter the list is still scoped to what the curator may see.
    rows = client.get(reverse("registry:person_list"), {"problem": "minor_without_guardian"}).context["rows"]
    assert {p.last_name for p, _, _ in rows} == {"Безродителев"}
    assert orphan.pk
