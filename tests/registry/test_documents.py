import datetime as dt
import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.registry.documents import HEADERS, registry_export_xlsx
from nastavnik.registry.models import Category, Person, PersonKind
from nastavnik.registry.people_import import auto_mapping, people_import, read_table
from tests.factories import PersonFactory, TeacherFactory, give_consent, guardian_for, years_ago

EXPORT_URL = "registry:export"


def sheet_rows(data):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return workbook.active, [list(row) for row in workbook.active.iter_rows(values_only=True)]


def populate(school, n, prefix="Петров"):
    categories = list(Category.objects.filter(code__in=["ovz", "hard-life"]))
    people = []
    for i in range(n):
        student = PersonFactory(organisation=school, last_name=f"{prefix}{'абвгдежзик'[i]}")
        student.categories.set(categories)
        give_consent(student, by=guardian_for(student))
        people.append(student)
    return people


def comparable(person):
    return (
        person.kind,
        person.last_name,
        person.first_name,
        person.middle_name,
        person.birth_date,
        person.grade,
        person.class_letter,
        person.study_group,
        person.position,
        person.experience_years,
        person.is_young_specialist,
        person.email,
        person.phone,
        tuple(sorted(c.code for c in person.categories.all())),
        tuple(sorted(link.guardian.full_name for link in person.guardian_links.all())),
    )


class TestTheWorkbook:
    def test_it_has_russian_headers_dates_widths_and_an_autofilter(self, school_x):
        student = PersonFactory(
            organisation=school_x,
            last_name="Смирнова",
            first_name="Анна",
            middle_name="",
            birth_date=years_ago(10),
        )
        student.categories.set(Category.objects.filter(code="ovz"))
        mother = guardian_for(student)

        sheet, rows = sheet_rows(registry_export_xlsx(Person.objects.filter(pk=student.pk)))

        assert tuple(rows[0]) == HEADERS
        birth = dt.datetime.combine(years_ago(10), dt.time())
        assert rows[1][:6] == ["Смирнова", "Анна", None, birth, "8А", "Обучающийся"]
        assert rows[1][11:] == [
            "ОВЗ",
            mother.full_name,
            "Школа X",
            "нет согласия законного представителя",
        ]
        assert sheet["D2"].number_format == "DD.MM.YYYY"
        assert sheet.auto_filter.ref == "A1:O2"
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["M"].width >= len("Родитель / законный представитель")

    def test_the_consent_column_says_when_consent_is_complete(self, school_x):
        teacher = TeacherFactory(organisation=school_x)
        give_consent(teacher)
        _, rows = sheet_rows(registry_export_xlsx(Person.objects.filter(pk=teacher.pk)))
        assert rows[1][-1] == "Согласие есть"
        assert rows[1][6:9] == ["Учитель математики", 20, None]


class TestRoundTrip:
    def test_an_export_re_imports_into_another_organisation_unchanged(
        self, school_x, school_y, school_y_curator
    ):
        students = populate(school_x, 2)
        TeacherFactory(
            organisation=school_x,
            last_name="Волкова",
            is_young_specialist=True,
            email="volkova@example.ru",
            phone="+7 900 000-00-00",
            experience_years=2,
        )
        PersonFactory(
            organisation=school_x,
            kind=PersonKind.COLLEGE_STUDENT,
            last_name="Студентов",
            grade=None,
            class_letter="",
            study_group="ИС-21",
        )
        students[0].categories.clear()
        exported = registry_export_xlsx(Person.objects.filter(organisation=school_x))

        table = read_table("export.xlsx", exported)
        mapping = auto_mapping(table)
        assert "full_name" not in mapping and len(mapping) == 13
        created = people_import(
            acting_user=school_y_curator, organisation=school_y, table=table, mapping=mapping
        )

        originals = Person.objects.filter(organisation=school_x)
        copies = Person.objects.filter(organisation=school_y)
        # two students, their two mothers, a teacher and a student of СПО
        assert created.total == originals.count() == 6
        assert sorted(map(comparable, copies)) == sorted(map(comparable, originals))

    def test_re_importing_an_export_into_the_same_organisation_adds_nobody(self, school_x, school_x_curator):
        populate(school_x, 2)
        table = read_table("export.xlsx", registry_export_xlsx(Person.objects.filter(organisation=school_x)))
        created = people_import(
            acting_user=school_x_curator, organisation=school_x, table=table, mapping=auto_mapping(table)
        )
        assert created.total == 0
        assert Person.objects.count() == 4


class TestTheView:
    def test_a_curator_of_school_y_never_gets_school_x_people(
        self, client_for, school_x, school_y, school_y_curator
    ):
        populate(school_x, 2, prefix="Иксов")
        populate(school_y, 1, prefix="Игреков")

        response = client_for(school_y_curator).get(reverse(EXPORT_URL))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response["Content-Disposition"].startswith('attachment; filename="uchastniki-')
        _, rows = sheet_rows(response.content)
        names = [row[0] for row in rows[1:]]
        assert sorted(names) == ["Игрекова", "Игрекова"]  # the boy and his mother
        assert not any(name.startswith("Иксов") for name in names)
        assert {row[13] for row in rows[1:]} == {"Школа Y"}

    def test_a_municipal_curator_gets_both_schools(self, client_for, school_x, school_y, municipal_curator_a):
        populate(school_x, 1)
        populate(school_y, 1)
        _, rows = sheet_rows(client_for(municipal_curator_a).get(reverse(EXPORT_URL)).content)
        assert {row[13] for row in rows[1:]} == {"Школа X", "Школа Y"}

    def test_the_list_filters_apply_and_unknown_parameters_are_ignored(
        self, client_for, school_x, school_x_curator
    ):
        populate(school_x, 2)
        TeacherFactory(organisation=school_x, last_name="Учителева")
        client = client_for(school_x_curator)

        def exported(**params):
            _, rows = sheet_rows(client.get(reverse(EXPORT_URL), params).content)
            return sorted(row[0] for row in rows[1:])

        assert exported(kind="teacher", sort="whatever") == ["Учителева"]
        assert exported(q="Петровб") == ["Петровб", "Петровб"]  # the boy and his mother
        assert exported(q="Петровб", kind="student") == ["Петровб"]
        assert exported(kind="student", consent="valid") == []
        assert exported(category=Category.objects.get(code="ovz").pk) == ["Петрова", "Петровб"]
        assert len(exported(nonsense="1")) == 5

    def test_a_stranger_gets_an_empty_sheet_and_an_anonymous_user_is_sent_to_log_in(
        self, client, client_for, school_x, no_role_user
    ):
        populate(school_x, 1)
        _, rows = sheet_rows(client_for(no_role_user).get(reverse(EXPORT_URL)).content)
        assert rows == [list(HEADERS)]
        assert client.get(reverse(EXPORT_URL)).status_code == 302

    def test_the_export_runs_the_same_number_of_queries_for_1_and_3_people(
        self, client_for, school_x, school_x_curator
    ):
        client = client_for(school_x_curator)

        def count():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse(EXPORT_URL))
            assert response.status_code == 200
            return len(queries), len(sheet_rows(response.content)[1])

        populate(school_x, 1)
        one, rows_one = count()
        populate(school_x, 2, prefix="Сидоров")
        three, rows_three = count()
        assert (rows_one, rows_three) == (3, 7)  # header + children and their mothers
        assert one == three
