import datetime as dt

import pytest
from django.urls import reverse

from nastavnik.base.time import local_today
from nastavnik.registry.consents import PURPOSES, consent_state, purpose_codes
from nastavnik.registry.models import Consent, ConsentGiver, Person
from nastavnik.registry.people_import import analyse, auto_mapping, field_for_header, read_table
from tests.factories import years_ago
from tests.registry.test_people_import import do_import, problems_of, upload, xlsx

HEADERS = [
    "ФИО",
    "Дата рождения",
    "Класс",
    "Родитель / законный представитель",
    "Согласие представителя (дата)",
    "Согласие обучающегося (дата)",
    "Цели обработки",
]


def row(name, age, guardian, rep_on, own_on, purposes=""):
    return [name, years_ago(age, days=30), "8А", guardian, rep_on, own_on, purposes]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Согласие представителя (дата)", "consent_representative_on"),
        ("Дата согласия родителя", "consent_representative_on"),
        ("Согласие законного представителя", "consent_representative_on"),
        ("Согласие обучающегося (дата)", "consent_own_on"),
        ("Собственное согласие", "consent_own_on"),
        ("Согласие участника, дата", "consent_own_on"),
        ("Цели обработки", "consent_purposes"),
        ("Цели", "consent_purposes"),
        ("Родитель / законный представитель", "guardians"),
        ("Согласие на обработку ПДн", None),  # the export's state column is not a date
    ],
)
def test_consent_headers_are_recognised_in_several_spellings(header, field):
    assert field_for_header(header) == field


class TestConsentColumns:
    def test_consents_are_created_with_the_people_in_the_same_import(self, school_x, school_x_curator):
        data = xlsx(
            [
                HEADERS,
                row("Смирнова Анна Сергеевна", 15, "Смирнова Ольга Петровна", "01.09.2026", "02.09.2026"),
                row(
                    "Петров Илья Олегович",
                    10,
                    "Петров Олег Ильич",
                    dt.date(2026, 9, 1),
                    "",
                    "анкетирование, мониторинг",
                ),
                row("Сидоров Пётр Ильич", 12, "Сидорова Вера Ивановна", "", ""),
            ]
        )
        assert do_import(school_x_curator, school_x, "8А.xlsx", data) == 6
        today = local_today(school_x)
        anna = Person.objects.get(last_name="Смирнова", first_name="Анна")
        assert consent_state(anna, today).is_valid
        own = anna.consents.get(given_by=ConsentGiver.SELF)
        assert own.signed_on == dt.date(2026, 9, 2) and set(purpose_codes(own.purposes)) == set(PURPOSES)
        by_parent = anna.consents.get(given_by=ConsentGiver.REPRESENTATIVE)
        assert by_parent.representative.full_name == "Смирнова Ольга Петровна"
        ilya = Person.objects.get(last_name="Петров", first_name="Илья").consents.get()
        assert purpose_codes(ilya.purposes) == ["surveys", "monitoring"]
        assert not Consent.objects.filter(subject__last_name="Сидоров").exists()

    def test_bad_consent_cells_name_the_row_and_the_column_and_nothing_is_written(
        self, school_x, school_x_curator
    ):
        future = (local_today(school_x) + dt.timedelta(days=5)).strftime("%d.%m.%Y")
        data = xlsx(
            [
                HEADERS,
                row("Смирнова Анна Сергеевна", 15, "Смирнова Ольга Петровна", "31.02.2026", ""),
                row("Петров Илья Олегович", 10, "", "01.09.2026", ""),
                row("Сидоров Пётр Ильич", 10, "Сидорова Вера Ивановна", "", "01.09.2026"),
                row("Орлова Вера Ивановна", 16, "Орлов Иван Петрович", future, "", "пароли, реклама"),
            ]
        )
        problems = problems_of(school_x_curator, school_x, "8А.xlsx", data)
        assert "Строка 2, «Согласие представителя (дата)»: «31.02.2026» — такой даты нет" in problems
        assert any(
            p.startswith("Строка 3, «Согласие представителя (дата)»")
            and "не указан законный представитель" in p
            for p in problems
        ), problems
        assert any(
            p.startswith("Строка 4, «Согласие обучающегося (дата)»") and "младше 14 лет" in p
            for p in problems
        )
        assert any(
            p.startswith("Строка 5, «Согласие представителя (дата)»") and "не может быть в будущем" in p
            for p in problems
        )
        assert any(
            p.startswith("Строка 5, «Цели обработки»: «пароли», «реклама» — нет такой цели") for p in problems
        )
        assert not Person.objects.exists() and not Consent.objects.exists()

    def test_the_preview_shows_the_consent_columns_and_their_problems(self, school_x):
        data = xlsx([HEADERS, row("Петров Илья Олегович", 10, "", "01.09.2026", "")])
        table = read_table("8А.xlsx", data)
        preview = analyse(table, auto_mapping(table), organisation=school_x)
        assert "Согласие представителя (дата)" in [label for _, label in preview.shown_columns]
        shown = preview.display_rows()[0]
        assert any("не указан законный представитель" in m for cell in shown.cells for m in cell.messages)

    def test_the_upload_page_previews_consent_columns(self, client_for, school_x, school_x_curator):
        data = xlsx(
            [HEADERS, row("Смирнова Анна Сергеевна", 15, "Смирнова Ольга Петровна", "01.09.2026", "")]
        )
        client = client_for(school_x_curator)
        response = upload(client, school_x, data)
        page = (
            client.get(response.url).content.decode()
            if response.status_code == 302
            else response.content.decode()
        )
        assert "Согласие представителя (дата)" in page
        assert reverse("registry_import:confirm") in page
