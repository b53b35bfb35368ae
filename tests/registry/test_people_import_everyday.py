"""What a new user tripped on in the class list import (issue #14): short category names, the
parent's phone, the done page's wording and a CSV saved as «Текст Юникод» (UTF-16)."""

import pytest
from django.urls import reverse

from nastavnik.base.encodings import decode_text
from nastavnik.base.guards import check_upload
from nastavnik.base.text import quoted
from nastavnik.registry.models import Person, PersonKind
from nastavnik.registry.people_import import (
    ImportFileError,
    ImportResult,
    analyse,
    auto_mapping,
    field_for_header,
    read_table,
)
from tests.factories import ParentFactory
from tests.registry.test_people_import import csv_bytes, do_import, problems_of, upload

pytestmark = pytest.mark.django_db


class TestCategoryAliases:
    @pytest.mark.parametrize(
        ("written", "short_name"),
        [
            ("СОП", "Учёт / СОП"),
            ("на учёте", "Учёт / СОП"),
            ("На учете", "Учёт / СОП"),
            ("ВШУ", "Учёт / СОП"),
            ("тжс", "ТЖС"),
            ("ОВЗ", "ОВЗ"),
            ("одарённый", "Одарённые"),
            ("Одаренные", "Одарённые"),
            ("инвалид", "Инвалидность"),
            ("ребенок-инвалид", "Инвалидность"),
            ("сирота", "Сироты"),
            ("малообеспеченная", "Малоимущие"),
        ],
    )
    def test_the_short_names_people_write_are_read_as_the_built_in_category(
        self, school_x, school_x_curator, written, short_name
    ):
        rows = [["ФИО", "Дата рождения", "Категории"], ["Смирнова Анна", "10.02.2012", written]]
        do_import(school_x_curator, school_x, "7Б.csv", csv_bytes(rows))

        anna = Person.objects.get(last_name="Смирнова")
        assert [c.short_name for c in anna.categories.all()] == [short_name]

    def test_several_aliases_in_one_cell_give_each_category_once(self, school_x, school_x_curator):
        rows = [["ФИО", "Дата рождения", "Категории"], ["Смирнова Анна", "10.02.2012", "СОП, на учёте, ОВЗ"]]
        do_import(school_x_curator, school_x, "7Б.csv", csv_bytes(rows))

        anna = Person.objects.get(last_name="Смирнова")
        assert sorted(c.short_name for c in anna.categories.all()) == ["ОВЗ", "Учёт / СОП"]

    def test_an_unknown_category_is_still_refused_with_the_known_ones(self, school_x, school_x_curator):
        rows = [["ФИО", "Дата рождения", "Категории"], ["Смирнова Анна", "10.02.2012", "отличница"]]
        (problem,) = problems_of(school_x_curator, school_x, "7Б.csv", csv_bytes(rows))
        assert "«отличница» — нет такой категории; известные: ОВЗ" in problem


class TestTheParentsPhone:
    @pytest.mark.parametrize(
        "header",
        [
            "Телефон родителя",
            "Телефон законного представителя",
            "Тел. мамы",
            "Тел. родителя",
            "Моб. тел. папы",
        ],
    )
    def test_the_usual_headers_are_recognised(self, header):
        assert field_for_header(header) == "guardian_phone"

    def test_a_parents_email_is_still_not_loaded(self):
        assert field_for_header("E-mail родителя") is None

    def test_the_phone_is_kept_on_the_parent_the_row_creates(self, school_x, school_x_curator):
        rows = [
            ["ФИО", "Дата рождения", "Родитель", "Телефон родителя"],
            ["Смирнова Анна", "10.02.2012", "Смирнова Ольга Петровна", "+7 900 123-45-67"],
            ["Ким Виктор", "01.09.2012", "Ким Ли; Ким Сон Ми", "8 912 000-00-01; 8 912 000-00-02"],
        ]
        do_import(school_x_curator, school_x, "7Б.csv", csv_bytes(rows, delimiter=","))

        phones = dict(Person.objects.filter(kind=PersonKind.PARENT).values_list("first_name", "phone"))
        assert phones == {"Ольга": "+7 900 123-45-67", "Ли": "8 912 000-00-01", "Сон": "8 912 000-00-02"}

    def test_the_phone_is_kept_on_a_parent_already_in_the_registry_who_has_none(
        self, school_x, school_x_curator
    ):
        mother = ParentFactory(
            organisation=school_x, last_name="Смирнова", first_name="Ольга", middle_name="Петровна", phone=""
        )
        rows = [
            ["ФИО", "Дата рождения", "Законный представитель", "Тел. мамы"],
            ["Смирнова Анна", "10.02.2012", "Смирнова Ольга Петровна", "+7 900 123-45-67"],
        ]
        do_import(school_x_curator, school_x, "7Б.csv", csv_bytes(rows))

        mother.refresh_from_db()
        assert mother.phone == "+7 900 123-45-67"

    def test_a_phone_without_a_parent_is_an_error_not_dropped(self, school_x, school_x_curator):
        rows = [
            ["ФИО", "Дата рождения", "Родитель", "Телефон родителя"],
            ["Смирнова Анна", "10.02.2012", "", "+7 900 123-45-67"],
        ]
        (problem,) = problems_of(school_x_curator, school_x, "7Б.csv", csv_bytes(rows))
        assert problem == (
            "Строка 2, «Телефон родителя»: «+7 900 123-45-67» — телефон есть, а ФИО родителя в строке не указано"
        )

    def test_a_phone_column_without_a_parent_column_is_a_problem_of_the_file(self, school_x):
        rows = [["ФИО", "Дата рождения", "Телефон родителя"], ["Смирнова Анна", "10.02.2012", "+7 900 1"]]
        table = read_table("7Б.csv", csv_bytes(rows))
        preview = analyse(table, auto_mapping(table), organisation=school_x)
        assert any("Телефон родителя загружается вместе с его ФИО" in p for p in preview.file_problems)


class TestTheDonePage:
    @pytest.mark.parametrize(
        ("by_kind", "summary"),
        [
            ({"student": 30, "parent": 18}, "добавлено 30 обучающихся и 18 родителей"),
            ({"student": 21, "parent": 1}, "добавлен 21 обучающийся и 1 родитель"),
            ({"teacher": 2}, "добавлено 2 педагога"),
            ({"student": 3, "teacher": 1, "parent": 2}, "добавлено 3 обучающихся, 1 педагог и 2 родителя"),
            ({}, "никто не добавлен"),
        ],
    )
    def test_the_result_says_how_many_of_each_kind(self, by_kind, summary):
        assert ImportResult(by_kind).summary() == summary

    def test_students_and_parents_are_counted_apart_and_quotes_are_not_nested(
        self, client_for, school_x, school_x_curator
    ):
        school_x.short_name = "МБОУ «СОШ № 1»"
        school_x.save()
        children = ["Анна", "Борис", "Вера", "Глеб", "Дина", "Егор"]
        mothers = ["Ольга", "Полина", "Раиса"]
        rows = [["ФИО", "Дата рождения", "Родитель"]] + [
            [f"Иванов {name}", f"{i + 1:02d}.09.2012", f"Иванова {mothers[i // 2]}"]
            for i, name in enumerate(children)
        ]
        client = client_for(school_x_curator)
        upload(client, school_x, csv_bytes(rows), name="7А.csv")
        client.get(reverse("registry_import:preview"))
        response = client.post(reverse("registry_import:confirm"))
        content = client.get(response.url).content.decode()

        assert "В базу организации МБОУ «СОШ № 1» <b>добавлено 6 обучающихся и 3 родителя</b>." in content
        assert "««" not in content and "»»" not in content


def test_quoted_does_not_quote_a_name_that_has_its_quotes():
    assert quoted("Программа наставничества") == "«Программа наставничества»"
    assert quoted("МБОУ «СОШ № 1»") == "МБОУ «СОШ № 1»"
    assert quoted("«Шаг вперёд»") == "«Шаг вперёд»"


UNICODE_ROWS = [["ФИО", "Дата рождения", "Класс"], ["Ёлкина Анна", "10.02.2012", "7Б"]]


class TestAUnicodeCsv:
    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
    def test_a_utf16_or_utf32_csv_is_read_with_or_without_a_bom(self, school_x, school_x_curator, encoding):
        rows = [row[:] for row in UNICODE_ROWS]
        data = "\r\n".join("\t".join(r) for r in rows).encode(encoding)  # Excel's «Текст Юникод»
        assert b"\x00" in data
        check_upload(data, "class-list", "7Б.csv")  # the guard sees the decoded text, not NULs

        do_import(school_x_curator, school_x, "7Б.csv", data)

        anna = Person.objects.get(last_name="Ёлкина")
        assert (anna.grade, anna.class_letter) == (7, "Б")

    def test_a_broken_utf16_file_is_refused_with_a_word_about_the_encoding(self):
        data = "ФИО;Класс\r\n".encode("utf-16") + b"\x00\xd8"  # a lone surrogate: not UTF-16
        with pytest.raises(ImportFileError, match="Файл сохранён в кодировке UTF-16"):
            read_table("7Б.csv", data)

    def test_utf8_and_windows_1251_are_decoded_as_before(self):
        assert decode_text("ФИО".encode("cp1251")) == "ФИО"
        assert decode_text("\ufeffФИО".encode()) == "ФИО"
