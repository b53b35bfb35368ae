import datetime as dt
import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from nastavnik.registry.models import GuardianLink, Person, PersonKind
from nastavnik.registry.people_import import (
    FieldProblem,
    ImportFileError,
    ImportRejected,
    analyse,
    auto_mapping,
    field_for_header,
    parse_date,
    people_import,
    read_table,
)
from tests.factories import ParentFactory, PersonFactory

HEADERS = ["№", "ФИО", "Дата рождения", "Класс", "Категории", "Родитель / законный представитель", "Пол"]


def xlsx(rows, title=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, delimiter=";", encoding="utf-8"):
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    return text.encode(encoding)


def do_import(user, organisation, name, data, **kwargs):
    table = read_table(name, data)
    return people_import(
        acting_user=user, organisation=organisation, table=table, mapping=auto_mapping(table), **kwargs
    ).total


def problems_of(user, organisation, name, data, **kwargs):
    with pytest.raises(ImportRejected) as rejected:
        do_import(user, organisation, name, data, **kwargs)
    return [str(problem) for problem in rejected.value.problems]


GOOD_CLASS = [
    HEADERS,
    [1, "Смирнова Анна Сергеевна", dt.date(2012, 2, 10), "7Б", "ОВЗ, тжс", "Смирнова Ольга Петровна", "ж"],
    [2, "Смирнов Пётр Сергеевич", "05.11.2013", "6 б", "", "Смирнова Ольга Петровна", "м"],
    [3, "Ким Виктор", "2012-09-01", "7-б", "Одарённые", "Ким Ли; Ким Сон Ми, +7 900 123-45-67", "м"],
]


class TestAGoodFile:
    def test_it_imports_every_row_with_classes_categories_and_guardians(self, school_x, school_x_curator):
        created = do_import(school_x_curator, school_x, "7Б.xlsx", xlsx(GOOD_CLASS, title="Список 7Б класса"))

        # three children and three new parents (the Smirnovs share a mother)
        assert created == 6
        anna = Person.objects.get(last_name="Смирнова", first_name="Анна")
        assert (anna.kind, anna.birth_date, anna.grade, anna.class_letter) == (
            PersonKind.STUDENT,
            dt.date(2012, 2, 10),
            7,
            "Б",
        )
        assert sorted(c.short_name for c in anna.categories.all()) == ["ОВЗ", "ТЖС"]
        petr = Person.objects.get(first_name="Пётр")
        assert (petr.birth_date, petr.grade, petr.class_letter) == (dt.date(2013, 11, 5), 6, "Б")
        mother = Person.objects.get(kind=PersonKind.PARENT, last_name="Смирнова")
        assert set(
            GuardianLink.objects.filter(guardian=mother).values_list("child__first_name", flat=True)
        ) == {
            "Анна",
            "Пётр",
        }
        son_mi = Person.objects.get(kind=PersonKind.PARENT, first_name="Сон")
        assert (son_mi.middle_name, son_mi.phone) == ("Ми", "+7 900 123-45-67")
        assert Person.objects.get(first_name="Виктор").guardian_links.count() == 2

    def test_it_writes_an_audit_record_naming_the_curator(self, school_x, school_x_curator):
        do_import(school_x_curator, school_x, "7Б.xlsx", xlsx(GOOD_CLASS))
        entries = LogEntry.objects.get_for_objects(Person.objects.all())
        assert entries.count() >= 6
        assert {entry.actor_id for entry in entries} == {school_x_curator.pk}

    def test_it_finds_the_header_below_a_title(self, db):
        table = read_table("list.xlsx", xlsx(GOOD_CLASS, title="МБОУ СОШ № 5. Список 7Б класса"))
        assert table.header_row == 3
        assert [number for number, _ in table.rows] == [4, 5, 6]

    def test_separate_name_columns_and_teachers_fields_in_any_order(self, school_x, school_x_curator):
        rows = [
            [
                "Стаж",
                "Имя",
                "Фамилия",
                "Должность",
                "Молодой специалист",
                "E-mail",
                "Отчество",
                "Телефон",
                "Вид участника",
            ],
            [
                "2",
                "Ирина",
                "Волкова",
                "Учитель английского языка",
                "да",
                "volkova@example.ru",
                "Андреевна",
                "89001112233",
                "педагог",
            ],
            ["25 лет", "Олег", "Зайцев", "Завуч", "нет", "", "", "", ""],
        ]
        created = do_import(
            school_x_curator, school_x, "staff.csv", csv_bytes(rows), default_kind=PersonKind.STAFF
        )

        assert created == 2
        volkova = Person.objects.get(last_name="Волкова")
        assert (volkova.kind, volkova.experience_years, volkova.is_young_specialist) == (
            PersonKind.TEACHER,
            2,
            True,
        )
        assert (volkova.middle_name, volkova.email, volkova.phone) == (
            "Андреевна",
            "volkova@example.ru",
            "89001112233",
        )
        zaitsev = Person.objects.get(last_name="Зайцев")
        assert (zaitsev.kind, zaitsev.experience_years, zaitsev.is_young_specialist) == (
            PersonKind.STAFF,
            25,
            False,
        )

    def test_a_guardian_named_in_the_file_is_linked_to_the_parent_row_or_the_registry(
        self, school_x, school_x_curator
    ):
        registered = ParentFactory(
            organisation=school_x, last_name="Орлова", first_name="Нина", middle_name=""
        )
        rows = [
            ["Фамилия", "Имя", "Дата рождения", "Вид участника", "Законный представитель"],
            ["Орлов", "Миша", "01.01.2015", "ученик", "Орлова Нина"],
            ["Белов", "Саша", "01.01.2015", "ученик", "Белова Вера"],
            ["Белова", "Вера", "", "родитель", ""],
        ]
        created = do_import(school_x_curator, school_x, "list.csv", csv_bytes(rows, delimiter=","))

        assert created == 3  # no new parent is invented for either child
        assert GuardianLink.objects.get(child__first_name="Миша").guardian == registered
        assert GuardianLink.objects.get(child__first_name="Саша").guardian == Person.objects.get(
            first_name="Вера"
        )


class TestFileFormats:
    def test_a_cp1251_csv_with_semicolons_is_read(self, school_x, school_x_curator):
        rows = [["ФИО", "Дата рождения", "Класс"], ["Ёлкина Дарья Игоревна", "03.04.2011", "8А"]]
        data = csv_bytes(rows, delimiter=";", encoding="cp1251")
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")

        assert do_import(school_x_curator, school_x, "8А.csv", data) == 1
        assert Person.objects.get().full_name == "Ёлкина Дарья Игоревна"

    @pytest.mark.parametrize("delimiter", [",", "\t", ";"])
    def test_a_utf8_csv_with_a_bom_and_any_delimiter_is_read(self, school_x, school_x_curator, delimiter):
        rows = [
            ["Список класса"],
            ["Фамилия", "Имя", "Отчество", "Дата рождения", "Класс"],
            ["Иванов", "Иван", "Иванович", "03.04.2011", "8А"],
        ]
        data = "\ufeff".encode() + csv_bytes(rows, delimiter=delimiter)

        assert do_import(school_x_curator, school_x, "8А.csv", data) == 1
        assert Person.objects.get().full_name == "Иванов Иван Иванович"

    def test_excel_serial_numbers_are_read_as_dates(self, school_x, school_x_curator):
        data = xlsx([["ФИО", "Дата рождения", "Класс"], ["Иванов Иван", 41000, "5А"]])
        do_import(school_x_curator, school_x, "a.xlsx", data)
        assert Person.objects.get().birth_date == dt.date(2012, 4, 1)

    def test_xlsx_cells_are_read_with_the_values_openpyxl_gives(self):
        from nastavnik.registry.people_import import _has_error_cells, _openpyxl_grids, _xlsx_grids

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "7Б"
        sheet["B3"], sheet["C3"], sheet["D3"], sheet["E3"], sheet["F3"] = "ФИО", 5, 5.0, 2.5, "007"
        sheet["G3"], sheet["H3"], sheet["I3"] = True, False, 12345678901234
        sheet["B4"], sheet["C4"] = dt.date(2012, 3, 4), dt.datetime(2012, 3, 4, 10, 30)
        sheet["D4"], sheet["E4"], sheet["F4"] = dt.time(8, 15), "=1+1", "  Иванов \n Иван "
        sheet["G4"], sheet["H4"], sheet["I4"] = 2.75, -3, 1e20
        sheet["B6"] = "объединённые"
        sheet.merge_cells("B6:D6")
        sheet["C7"] = 41000
        sheet["C7"].number_format = "dd.mm.yyyy"
        sheet["D7"] = 0.25
        sheet["D7"].number_format = "0%"
        workbook.create_sheet("пустой")
        workbook.create_sheet("второй")["C2"] = "Фамилия"
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()

        assert not _has_error_cells(data)
        grids = _xlsx_grids(data)
        assert [name for name, _ in grids] == ["7Б", "пустой", "второй"]
        assert grids == _openpyxl_grids(data)
        assert grids[0][1][3] == (4, [None, dt.datetime(2012, 3, 4), dt.datetime(2012, 3, 4, 10, 30),
                                      dt.time(8, 15), None, "  Иванов \n Иван ", 2.75, -3,
                                      10**20])  # fmt: skip

    def test_xlsx_rows_have_the_numbers_excel_shows_when_the_sheet_starts_below_a1(self, db):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet["B3"], sheet["C3"] = "ФИО", "Дата рождения"
        sheet["B5"], sheet["C5"] = "Иванов Иван Иванович", "01.02.2015"
        buffer = io.BytesIO()
        workbook.save(buffer)

        table = read_table("a.xlsx", buffer.getvalue())
        assert table.header_row == 3
        assert table.rows == [(5, [None, "Иванов Иван Иванович", "01.02.2015"])]

    def test_an_xlsx_error_cell_is_reported_with_its_text(self, school_x, school_x_curator):
        data = xlsx([["ФИО", "Дата рождения", "Класс"], ["Иванов Иван", "#N/A", "5А"]])

        problems = problems_of(school_x_curator, school_x, "a.xlsx", data)
        assert len(problems) == 1
        assert "«#N/A»" in problems[0]
        assert "Строка 2" in problems[0]

    @pytest.mark.parametrize(
        ("name", "data", "message"),
        [
            ("old.xls", b"\xd0\xcf\x11\xe0", "Старый формат .xls не поддерживается"),
            ("broken.xlsx", b"not a zip", "Не удалось прочитать файл Excel"),
            ("photo.jpg", b"\xff\xd8", "Загрузите файл .xlsx или .csv"),
            ("no-header.csv", "Иванов;Иван\n".encode(), "Не нашли строку с заголовками"),
            ("only-header.csv", "ФИО;Класс\n".encode(), "нет ни одной строки с данными"),
        ],
    )
    def test_an_unusable_file_is_refused_with_a_reason(self, name, data, message):
        with pytest.raises(ImportFileError, match=message):
            read_table(name, data)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31.02.2012", "«31.02.2012» — такой даты нет"),
        ("2012", "«2012» — укажите полную дату (ДД.ММ.ГГГГ), а не только год"),
        (2012, "«2012» — укажите полную дату (ДД.ММ.ГГГГ), а не только год"),
        ("1.9.12", "«1.9.12» — укажите год четырьмя цифрами: ДД.ММ.ГГГГ"),
        ("вчера", "«вчера» — не похоже на дату; укажите в виде ДД.ММ.ГГГГ"),
        ("01.01.1850", "«01.01.1850» — слишком ранняя дата"),
    ],
)
def test_a_bad_date_is_explained(value, message):
    with pytest.raises(FieldProblem) as problem:
        parse_date(value)
    assert str(problem.value) == message


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("01.09.2012", dt.date(2012, 9, 1)),
        ("1.9.2012", dt.date(2012, 9, 1)),
        ("01/09/2012", dt.date(2012, 9, 1)),
        ("2012-09-01", dt.date(2012, 9, 1)),
        ("01.09.2012 г.", dt.date(2012, 9, 1)),
        (dt.datetime(2012, 9, 1, 0, 0), dt.date(2012, 9, 1)),
        (41153, dt.date(2012, 9, 1)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_in_the_usual_forms(value, date):
    assert parse_date(value) == date


class TestColumns:
    @pytest.mark.parametrize(
        ("header", "field"),
        [
            ("ФИО", "full_name"),
            ("Ф.И.О. обучающегося", "full_name"),
            ("Фамилия, имя, отчество", "full_name"),
            ("Фамилия", "last_name"),
            ("Имя", "first_name"),
            ("Отчество", "middle_name"),
            ("Дата рождения (ДД.ММ.ГГГГ)", "birth_date"),
            ("Класс", "school_class"),
            ("Категория / вид участника", "kind"),
            ("Вид участника", "kind"),
            ("Категории", "categories"),
            ("Должность", "position"),
            ("Педагогический стаж", "experience_years"),
            ("Молодой специалист (да/нет)", "is_young_specialist"),
            ("E-mail", "email"),
            ("Адрес электронной почты", "email"),
            ("Телефон", "phone"),
            ("ФИО родителя (законного представителя)", "guardians"),
            ("Телефон родителя", "guardian_phone"),
            ("СНИЛС", None),
        ],
    )
    def test_headers_are_recognised_by_their_wording(self, header, field):
        assert field_for_header(header) == field

    def test_a_singular_category_column_holding_categories_is_mapped_to_categories(self, db):
        table = read_table("a.csv", csv_bytes([["ФИО", "Категория"], ["Иванов Иван", "ОВЗ"]]))
        assert auto_mapping(table) == {"full_name": 0, "categories": 1}

    def test_unknown_columns_are_listed_as_ignored_not_errors(self, school_x):
        table = read_table("a.xlsx", xlsx(GOOD_CLASS))
        preview = analyse(table, auto_mapping(table), organisation=school_x)
        assert preview.ignored == ["№", "Пол"]
        assert not preview.has_errors

    def test_a_mapping_without_names_is_a_problem(self, school_x):
        table = read_table("a.xlsx", xlsx(GOOD_CLASS))
        preview = analyse(table, {"birth_date": 2}, organisation=school_x)
        assert preview.file_problems == ["Укажите столбец с ФИО или столбцы «Фамилия» и «Имя»."]
        assert preview.has_errors


class TestBadRows:
    def test_a_file_with_bad_rows_writes_nothing_and_names_every_bad_row_and_field(
        self, school_x, school_x_curator
    ):
        rows = [
            ["ФИО", "Дата рождения", "Класс", "Категории", "E-mail", "Вид участника", "Стаж"],
            ["Алексеев Алексей", "01.09.2012", "7А", "", "", "", ""],  # 2: good
            ["Борисов Борис", "31.02.2012", "7А", "", "", "", ""],  # 3
            ["Васильев", "01.09.2012", "7А", "", "", "", ""],  # 4
            ["Григорьев Гриша", "01.09.2012", "15Ж", "", "", "", ""],  # 5
            ["Дмитриев Дима", "01.09.2012", "7А", "Вундеркинды", "", "", ""],  # 6
            ["Егоров Егор", "01.09.2012", "7А", "", "egorov@", "", ""],  # 7
            ["Жуков Женя", "", "7А", "", "", "", ""],  # 8
            ["Зуев Зиновий", "01.01.2099", "7А", "", "", "", ""],  # 9
            ["Ильин Илья", "1.9.12", "", "", "", "космонавт", ""],  # 10
            ["Кузнецов Кирилл", "", "7А", "", "", "педагог", "много"],  # 11
        ]
        problems = problems_of(school_x_curator, school_x, "bad.csv", csv_bytes(rows))

        assert Person.objects.count() == 0
        assert problems == [
            "Строка 3, «Дата рождения»: «31.02.2012» — такой даты нет",
            "Строка 4, «ФИО»: «Васильев» — укажите фамилию и имя (и отчество, если есть)",
            "Строка 5, «Класс»: «15Ж» — не похоже на класс; пример: «7Б», «11-А»",
            "Строка 6, «Категории»: «Вундеркинды» — нет такой категории; известные: "
            "ОВЗ, Инвалидность, Одарённые, ТЖС, Малоимущие, Село, Сироты, Учёт / СОП, Неуспевающие, Мигранты",
            "Строка 7, «E-mail»: «egorov@» — введите правильный адрес электронной почты",
            "Строка 8, «Дата рождения»: Для обучающегося укажите дату рождения: от неё зависит, чьё согласие нужно",
            "Строка 9, «Дата рождения»: «01.01.2099» — дата рождения не может быть в будущем",
            "Строка 10, «Дата рождения»: «1.9.12» — укажите год четырьмя цифрами: ДД.ММ.ГГГГ",
            "Строка 10, «Вид участника»: «космонавт» — неизвестный вид участника; допустимо: обучающийся, "
            "студент спо, педагог, сотрудник (не педагог), родитель (законный представитель), выпускник, "
            "сотрудник организации-партнёра",
            "Строка 11, «Класс»: «7А» — класс указывается только для обучающихся школы",
            "Строка 11, «Стаж»: «много» — укажите целое число лет, например «12»",
        ]

    def test_the_preview_counts_new_and_bad_rows(self, school_x):
        rows = [["ФИО", "Дата рождения"], ["Алексеев Алексей", "01.09.2012"], ["Борисов Борис", "31.02.2012"]]
        preview = analyse(
            read_table("a.csv", csv_bytes(rows)), {"full_name": 0, "birth_date": 1}, organisation=school_x
        )
        assert (len(preview.to_create), len(preview.error_rows)) == (1, 1)
        assert [row.status for row in preview.display_rows()] == ["new", "error"]
        bad_cell = preview.display_rows()[1].cells[1]
        assert (bad_cell.text, bad_cell.messages) == ("31.02.2012", ["«31.02.2012» — такой даты нет"])


class TestDuplicates:
    def test_the_same_person_twice_in_the_file_is_an_error_whatever_the_case_and_yo(
        self, school_x, school_x_curator
    ):
        rows = [
            ["ФИО", "Дата рождения"],
            ["Семёнов Семён Семёнович", "01.09.2012"],
            ["СЕМЕНОВ семен  Семенович", "01.09.2012"],
            ["Семёнов Семён Семёнович", "02.09.2012"],  # another birth date: another boy
        ]
        problems = problems_of(school_x_curator, school_x, "a.csv", csv_bytes(rows))

        assert problems == ["Строка 3, «ФИО»: «СЕМЕНОВ семен Семенович, 01.09.2012» — повторяет строку 2"]
        assert Person.objects.count() == 0

    def test_people_already_in_the_registry_are_skipped(self, school_x, school_x_curator):
        PersonFactory(
            organisation=school_x,
            last_name="Семёнов",
            first_name="Семён",
            middle_name="",
            birth_date=dt.date(2012, 9, 1),
        )
        rows = [["ФИО", "Дата рождения"], ["семенов семен", "01.09.2012"], ["Новиков Никита", "01.09.2012"]]
        table = read_table("a.csv", csv_bytes(rows))

        preview = analyse(table, auto_mapping(table), organisation=school_x)
        assert [row.status for row in preview.rows] == ["existing", "new"]
        assert preview.rows[0].existing == "Семёнов Семён, 01.09.2012, 8А класс"
        assert do_import(school_x_curator, school_x, "a.csv", csv_bytes(rows)) == 1
        assert Person.objects.filter(organisation=school_x).count() == 2

    def test_people_already_in_the_registry_are_errors_when_not_skipped(self, school_x, school_x_curator):
        PersonFactory(
            organisation=school_x,
            last_name="Семёнов",
            first_name="Семён",
            middle_name="",
            birth_date=dt.date(2012, 9, 1),
        )
        rows = [["ФИО", "Дата рождения"], ["Семенов Семен", "01.09.2012"], ["Новиков Никита", "01.09.2012"]]
        problems = problems_of(school_x_curator, school_x, "a.csv", csv_bytes(rows), skip_existing=False)

        assert problems == [
            "Строка 2, «ФИО»: «Семёнов Семён, 01.09.2012, 8А класс» — уже есть в базе организации"
        ]
        assert Person.objects.count() == 1

    def test_a_namesake_in_another_organisation_is_not_a_duplicate(
        self, school_x, school_y, school_x_curator
    ):
        PersonFactory(
            organisation=school_y,
            last_name="Семёнов",
            first_name="Семён",
            middle_name="",
            birth_date=dt.date(2012, 9, 1),
        )
        rows = [["ФИО", "Дата рождения"], ["Семёнов Семён", "01.09.2012"]]
        assert do_import(school_x_curator, school_x, "a.csv", csv_bytes(rows)) == 1


class TestPermissions:
    def test_a_curator_of_school_y_cannot_import_into_school_x(self, school_x, school_y_curator):
        with pytest.raises(PermissionDenied):
            do_import(school_y_curator, school_x, "a.xlsx", xlsx(GOOD_CLASS))
        assert Person.objects.count() == 0

    @pytest.mark.parametrize("user", ["municipal_curator_a", "regional_user", "school_x_specialist"])
    def test_overseers_and_specialists_cannot_import(self, request, school_x, user):
        with pytest.raises(PermissionDenied):
            do_import(request.getfixturevalue(user), school_x, "a.xlsx", xlsx(GOOD_CLASS))


def upload(client, organisation, data, name="7Б.xlsx", kind=PersonKind.STUDENT):
    file = io.BytesIO(data)
    file.name = name
    return client.post(
        reverse("registry_import:upload"),
        {"file": file, "organisation": organisation.pk, "default_kind": kind},
    )


def stored_files(settings):
    directory = settings.PRIVATE_FILE_ROOT / "held"
    return sorted(directory.iterdir()) if directory.exists() else []


class TestViews:
    def test_upload_preview_and_confirm(self, client_for, school_x, school_x_curator, settings):
        client = client_for(school_x_curator)
        assert client.get(reverse("registry_import:upload")).status_code == 200

        response = upload(client, school_x, xlsx(GOOD_CLASS, title="Список 7Б класса"))
        assert response.status_code == 302
        assert response.url == reverse("registry_import:preview")
        assert len(stored_files(settings)) == 2  # the file, and its table as read

        response = client.get(reverse("registry_import:preview"))
        content = response.content.decode()
        assert response.status_code == 200
        assert "Смирнова Анна Сергеевна" in content
        assert response.context["preview"].to_create.__len__() == 3
        assert "<b>3</b>будут добавлены" in content
        assert "Не загружаются столбцы: «№», «Пол»" in content
        assert 'type="submit" >Импортировать' in content  # enabled

        response = client.post(reverse("registry_import:confirm"))
        assert response.status_code == 302
        assert Person.objects.filter(organisation=school_x).count() == 6
        assert stored_files(settings) == []
        assert "people_import" not in client.session

        response = client.get(response.url)
        assert (
            "В базу организации «Школа X» <b>добавлено 3 обучающихся и 3 родителя</b>."
            in response.content.decode()
        )

    def test_a_file_with_errors_shows_every_problem_and_cannot_be_imported(
        self, client_for, school_x, school_x_curator
    ):
        client = client_for(school_x_curator)
        rows = [
            ["ФИО", "Дата рождения", "Класс"],
            ["Борисов Борис", "31.02.2012", "7А"],
            ["Алексеев Алексей", "01.09.2012", "7 а"],
        ]
        upload(client, school_x, csv_bytes(rows), name="7А.csv")

        content = client.get(reverse("registry_import:preview")).content.decode()
        assert "Строка 2, «Дата рождения»: «31.02.2012» — такой даты нет" in content
        assert 'class="bad">31.02.2012' in content
        assert 'type="submit" disabled>Импортировать' in content

        response = client.post(reverse("registry_import:confirm"))
        assert response.url == reverse("registry_import:preview")
        assert Person.objects.count() == 0

    def test_the_user_can_change_the_mapping(self, client_for, school_x, school_x_curator):
        client = client_for(school_x_curator)
        rows = [["Ученик", "Д.Р.", "Примечание"], ["Алексеев Алексей", "01.09.2012", "7А"]]
        upload(client, school_x, csv_bytes(rows), name="7А.csv")
        assert client.get(reverse("registry_import:preview")).context["preview"].mapping == {
            "full_name": 0,
            "birth_date": 1,
        }

        data = {f"col_{key}": "" for key in ("last_name", "first_name", "middle_name", "kind", "categories")}
        data.update(col_full_name="0", col_birth_date="1", col_school_class="2", default_kind="student")
        response = client.post(reverse("registry_import:preview"), data)
        assert response.status_code == 302
        client.post(reverse("registry_import:confirm"))
        assert Person.objects.get().school_class == "7А"

    def test_a_mapping_using_one_column_twice_is_refused(self, client_for, school_x, school_x_curator):
        client = client_for(school_x_curator)
        upload(client, school_x, csv_bytes([["ФИО", "Класс"], ["Алексеев Алексей", "7А"]]), name="a.csv")
        response = client.post(
            reverse("registry_import:preview"),
            {"col_full_name": "0", "col_school_class": "0", "default_kind": "student"},
        )
        assert response.status_code == 200
        assert "выбран сразу для нескольких полей: ФИО (одним столбцом), Класс" in response.content.decode()

    def test_a_curator_of_school_y_cannot_upload_into_school_x(
        self, client_for, school_x, school_y_curator, settings
    ):
        client = client_for(school_y_curator)
        response = upload(client, school_x, xlsx(GOOD_CLASS))
        assert response.status_code == 200
        assert "Выберите корректный вариант" in response.content.decode()
        assert stored_files(settings) == []
        assert "people_import" not in client.session

    def test_an_import_in_progress_for_an_organisation_no_longer_managed_is_not_found(
        self, client_for, school_x, school_x_curator
    ):
        client = client_for(school_x_curator)
        upload(client, school_x, xlsx(GOOD_CLASS))
        assert client.get(reverse("registry_import:preview")).status_code == 200
        school_x_curator.role_assignments.all().delete()

        assert client.get(reverse("registry_import:preview")).status_code == 404
        assert client.post(reverse("registry_import:confirm")).status_code == 404
        assert Person.objects.count() == 0

    def test_cancel_deletes_the_stored_files(self, client_for, school_x, school_x_curator, settings):
        client = client_for(school_x_curator)
        upload(client, school_x, xlsx(GOOD_CLASS))
        assert len(stored_files(settings)) == 2  # the file, and its table as read
        client.post(reverse("registry_import:cancel"))
        assert stored_files(settings) == []

    def test_a_stranger_is_refused_and_an_anonymous_user_sent_to_log_in(
        self, client, client_for, no_role_user
    ):
        assert client_for(no_role_user).get(reverse("registry_import:upload")).status_code == 403
        response = client.get(reverse("registry_import:upload"))
        assert response.status_code == 302
        assert "login" in response.url

    def test_a_bad_file_is_refused_on_upload(self, client_for, school_x, school_x_curator):
        response = upload(client_for(school_x_curator), school_x, b"\xd0\xcf\x11\xe0", name="old.xls")
        assert "Старый формат .xls не поддерживается" in response.content.decode()


FULL_CLEAN_CASES = {
    "a student": {"kind": "student", "birth_date": dt.date(2012, 3, 4), "grade": 7, "class_letter": "Б"},
    "a teacher": {"kind": "teacher", "position": "Учитель", "experience_years": 12, "email": "t@example.org"},
    "a student without a birth date": {"kind": "student"},
    "born in the future": {"kind": "student", "birth_date": dt.date(2999, 1, 1)},
    "a class for a teacher": {"kind": "teacher", "grade": 7},
    "a letter too long": {
        "kind": "student",
        "birth_date": dt.date(2012, 3, 4),
        "grade": 7,
        "class_letter": "БВГ",
    },
    "a long position": {"kind": "teacher", "position": "у" * 201},
    "a long phone": {"kind": "parent", "phone": "1" * 31},
    "a bad e-mail": {"kind": "teacher", "email": "not an address"},
    "negative experience": {"kind": "teacher", "experience_years": -1},
    "an unknown kind": {"kind": "wizard"},
    "an empty first name": {"kind": "parent", "first_name": ""},
    "no first name at all": {"kind": "parent", "first_name": None},
}


def _row_fields(extra):  # type: ignore[no-untyped-def]
    fields = {"last_name": "Орлова", "first_name": "Анна", "middle_name": "", **extra}
    return {key: value for key, value in fields.items() if value is not None}


def _full_clean_accepts(school, fields) -> bool:  # type: ignore[no-untyped-def]
    """The reference: what Django's own full_clean says of a person made of these fields."""
    from django.core.exceptions import ValidationError

    try:
        Person(organisation=school, **fields).full_clean(exclude=["organisation", "user"])
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("case", FULL_CLEAN_CASES)
def test_the_quick_row_check_agrees_with_full_clean(school_x, case):
    """`analyse` skips `Person.full_clean` for a row its quick check passes: the two must agree."""
    from nastavnik.registry.people_import import _passes_full_clean

    fields = _row_fields(FULL_CLEAN_CASES[case])
    passes = _full_clean_accepts(school_x, fields)
    assert _passes_full_clean(fields) is passes
    assert passes is (case in {"a student", "a teacher"})


def test_the_quick_row_check_remembering_accepted_values_still_agrees_with_full_clean(school_x):
    """Row after row, `analyse` remembers which values a field's check accepted: a remembered
    value never lets a bad row through, nor stops a good one."""

    from nastavnik.registry.people_import import _passes_full_clean

    passed: set = set()
    scratch = Person()
    for _ in range(2):
        for case, extra in FULL_CLEAN_CASES.items():
            fields = _row_fields(extra)
            passes = _full_clean_accepts(school_x, fields)
            assert _passes_full_clean(fields, scratch, passed) is passes, case
    assert ("kind", str, "student") in passed
    assert ("class_letter", str, "БВГ") not in passed


def test_a_row_full_clean_rejects_is_reported_with_its_message(school_x, school_x_curator):
    rows = [["ФИО", "Вид участника", "Должность"], ["Орлова Анна Ивановна", "педагог", "у" * 201]]
    with pytest.raises(ImportRejected) as caught:
        do_import(school_x_curator, school_x, "list.xlsx", xlsx(rows))
    assert [str(p) for p in caught.value.problems] == [
        f"Строка 2, «Должность»: «{'у' * 201}» — убедитесь, что это значение содержит не более 200 символов "
        "(сейчас 201)"
    ]
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        " ",
        "\u00a0\t",
        "a",
        " б ",
        0,
        0.0,
        1.5,
        False,
        True,
        dt.date(2020, 1, 2),
        dt.datetime(2020, 1, 2),
    ],
)
def test_a_cell_has_text_when_the_user_would_see_some(value):
    from nastavnik.registry.people_import import _has_text, cell_text

    assert _has_text(value) is bool(cell_text(value))


def test_the_read_table_is_kept_as_json_with_its_cell_types():
    from nastavnik.registry.people_import import ImportTable, table_as_json, table_from_json

    table = ImportTable(
        headers=["ФИО", "Дата рождения", "Класс", ""],
        header_row=3,
        rows=[
            (4, ["Смирнова Анна", dt.date(2012, 5, 1), 7, None]),
            (5, ["Борисов Борис", dt.datetime(2012, 2, 3, 0, 0), 7.5, True]),
            (7, ["Иванов Иван", "03.04.2012", "7А", dt.time(8, 30)]),
        ],
        sheet_name="7Б",
    )
    data = table_as_json(table)
    assert data is not None
    assert table_from_json(data) == table
    assert table_as_json(ImportTable(headers=["a"], header_row=1, rows=[(2, [object()])])) is None


def test_the_preview_reads_the_table_kept_at_upload_not_the_file_again(
    client_for, school_x, school_x_curator, monkeypatch
):
    client = client_for(school_x_curator)
    upload(client, school_x, xlsx(GOOD_CLASS, title="Список 7Б класса"))

    def no_second_reading(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr("nastavnik.registry.views.imports.read_table", no_second_reading)
    response = client.get(reverse("registry_import:preview"))
    assert response.status_code == 200
    assert "Смирнова Анна Сергеевна" in response.content.decode()
    assert response.context["preview"].to_create.__len__() == 3
