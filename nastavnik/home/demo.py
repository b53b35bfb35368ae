"""A realistic, deterministic demo region: one municipality, two schools of about 500 students
each and a centre of additional education, with teachers, parents, consents (some missing),
programs of the current academic year and a user for every role.

Built with bulk inserts: the demo is reference data for a new installation, not a user's
change, so it does not go through the audited services one row at a time.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from nastavnik.accounts.models import Role, RoleAssignment, User
from nastavnik.home.reference import ensure_reference_data
from nastavnik.orgs.models import (
    MentoringForm,
    Municipality,
    Organisation,
    OrganisationKind,
    Program,
    ProgramKind,
    Region,
    academic_year_of,
)
from nastavnik.registry.models import (
    Category,
    Consent,
    ConsentGiver,
    GuardianLink,
    Participation,
    ParticipationRole,
    Person,
    PersonKind,
    Tag,
    TagVocabulary,
)

DEMO_REGION = "Челябинская область"
DEMO_PASSWORD = "nastavnik2026"  # noqa: S105 - printed for the demo on purpose

MALE_SURNAMES = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
    "Медведев",
    "Антонов",
    "Тарасов",
    "Жуков",
    "Баранов",
    "Филиппов",
    "Комаров",
    "Давыдов",
    "Беляев",
    "Герасимов",
    "Богданов",
    "Осипов",
    "Сидоров",
    "Матвеев",
    "Титов",
    "Марков",
    "Миронов",
    "Крылов",
    "Куликов",
    "Карпов",
    "Власов",
    "Мельников",
    "Денисов",
    "Гаврилов",
    "Тихонов",
    "Казаков",
    "Афанасьев",
    "Данилов",
    "Савельев",
    "Тимофеев",
    "Фомин",
    "Чернов",
    "Абрамов",
    "Мартынов",
    "Ефимов",
    "Федотов",
    "Щербаков",
    "Назаров",
    "Калинин",
    "Исаев",
    "Чернышёв",
    "Быков",
    "Маслов",
    "Родионов",
    "Коновалов",
    "Лазарев",
    "Воронин",
    "Климов",
    "Филатов",
    "Пономарёв",
    "Голубев",
    "Кудрявцев",
    "Прохоров",
    "Наумов",
    "Потапов",
    "Журавлёв",
    "Овчинников",
    "Трофимов",
    "Леонов",
    "Соболев",
    "Ермаков",
    "Колесников",
    "Гончаров",
    "Емельянов",
    "Никифоров",
    "Грачёв",
    "Котов",
    "Гришин",
    "Ефремов",
    "Архипов",
    "Громов",
    "Кириллов",
    "Малышев",
    "Панов",
    "Моисеев",
    "Румянцев",
    "Акимов",
]
MALE_NAMES = [
    "Александр",
    "Дмитрий",
    "Максим",
    "Сергей",
    "Андрей",
    "Алексей",
    "Артём",
    "Илья",
    "Кирилл",
    "Михаил",
    "Никита",
    "Матвей",
    "Роман",
    "Егор",
    "Арсений",
    "Иван",
    "Денис",
    "Евгений",
    "Даниил",
    "Тимофей",
    "Владислав",
    "Игорь",
    "Владимир",
    "Павел",
    "Руслан",
    "Марк",
    "Константин",
    "Тимур",
    "Олег",
    "Ярослав",
    "Антон",
    "Николай",
    "Глеб",
    "Данил",
    "Савелий",
    "Вадим",
    "Степан",
    "Юрий",
]
FEMALE_NAMES = [
    "Анастасия",
    "Анна",
    "Мария",
    "Елена",
    "Дарья",
    "Алина",
    "Ирина",
    "Екатерина",
    "Арина",
    "Полина",
    "Ольга",
    "Юлия",
    "Татьяна",
    "Наталья",
    "Виктория",
    "Елизавета",
    "Ксения",
    "Милана",
    "Вероника",
    "Алиса",
    "Валерия",
    "Александра",
    "Ульяна",
    "Кристина",
    "София",
    "Марина",
    "Светлана",
    "Варвара",
    "Софья",
    "Диана",
    "Яна",
    "Кира",
    "Ангелина",
    "Маргарита",
    "Ева",
    "Алёна",
    "Дарина",
    "Карина",
]
PATRONYMIC_ROOTS = [
    "Александров",
    "Дмитриев",
    "Сергеев",
    "Андреев",
    "Алексеев",
    "Михайлов",
    "Иванов",
    "Николаев",
    "Владимиров",
    "Павлов",
    "Викторов",
    "Олегов",
    "Евгеньев",
    "Игорев",
    "Юрьев",
    "Анатольев",
    "Васильев",
    "Петров",
    "Романов",
    "Константинов",
]
SUBJECTS = [
    "Математика",
    "Русский язык",
    "Литература",
    "Физика",
    "Химия",
    "Биология",
    "История",
    "Обществознание",
    "География",
    "Информатика",
    "Английский язык",
    "Физическая культура",
    "Музыка",
    "Изобразительное искусство",
    "Технология",
    "ОБЗР",
    "Начальные классы",
]
REQUESTS = [
    "Повышение успеваемости по математике",
    "Подготовка к ОГЭ",
    "Адаптация в новом коллективе",
    "Выбор профессии",
    "Проектная деятельность",
    "Участие в олимпиадах",
    "Развитие лидерских качеств",
    "Публичные выступления",
    "Тайм-менеджмент",
    "Цифровая грамотность",
]
COMPETENCIES = [
    "Математика",
    "Русский язык",
    "Робототехника",
    "Проектная деятельность",
    "Олимпиадная подготовка",
    "Спорт",
    "Волонтёрство",
    "Классное руководство",
    "Методика преподавания",
    "Работа с родителями",
]


DEMO_ORGANISATIONS: list[dict[str, str]] = [
    {
        "kind": OrganisationKind.SCHOOL,
        "name": "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1» "
        "г. Катав-Ивановска",
        "short_name": "МБОУ «СОШ № 1»",
        "address": "г. Катав-Ивановск, ул. Ленина, 12",
        "head_name": "Демаков Сергей Николаевич",
    },
    {
        "kind": OrganisationKind.SCHOOL,
        "name": "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 7»",
        "short_name": "МБОУ «СОШ № 7»",
        "address": "г. Катав-Ивановск, ул. Свердлова, 5",
        "head_name": "Лагунова Елена Петровна",
    },
    {
        "kind": OrganisationKind.ADDITIONAL,
        "name": "Муниципальное бюджетное учреждение дополнительного образования «Центр детского творчества»",
        "short_name": "МБУ ДО «ЦДТ»",
        "address": "г. Катав-Ивановск, ул. Гагарина, 3",
        "head_name": "Баланюк Марина Андреевна",
    },
]


def _bulk_create_people(people: list[Person]) -> None:
    for person in people:  # bulk_create skips save()
        person.fill_derived_fields()
    Person.objects.bulk_create(people)


def _female(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    return surname


@dataclass
class DemoOrganisation:
    organisation: Organisation
    students: int
    teachers: int
    classes_per_grade: int
    grades: range


class DemoBuilder:
    def __init__(self, today: dt.date, seed: int = 2026) -> None:
        self.today = today
        self.year = academic_year_of(today)
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets

    # --- names ------------------------------------------------------------------------------

    def _name(self, female: bool) -> tuple[str, str, str]:
        surname = self.rng.choice(MALE_SURNAMES)
        root = self.rng.choice(PATRONYMIC_ROOTS)
        if female:
            return _female(surname), self.rng.choice(FEMALE_NAMES), root + "на"
        return surname, self.rng.choice(MALE_NAMES), root + "ич"

    def _birth_date(self, age_at_september: int) -> dt.date:
        # Someone aged `age_at_september` on 1 September of the current academic year.
        start = dt.date(self.year - age_at_september - 1, 9, 2)
        return start + dt.timedelta(days=self.rng.randrange(365))

    # --- build ------------------------------------------------------------------------------

    @transaction.atomic
    def build(self) -> None:
        ensure_reference_data()
        region = Region.objects.create(name=DEMO_REGION, code="74", timezone="Asia/Yekaterinburg")
        municipality = Municipality.objects.create(
            region=region,
            name="Катав-Ивановский муниципальный район",
            education_authority="Управление образования администрации Катав-Ивановского муниципального района",
        )
        other_municipality = Municipality.objects.create(
            region=region, name="Усть-Катавский городской округ", education_authority="Управление образования"
        )
        school1, school7, centre = (
            Organisation.objects.create(municipality=municipality, timezone=region.timezone, **fields)
            for fields in DEMO_ORGANISATIONS
        )
        other_school = Organisation.objects.create(
            municipality=other_municipality,
            kind=OrganisationKind.SCHOOL,
            short_name="МКОУ «СОШ № 4»",
            name="Муниципальное казённое общеобразовательное учреждение «Средняя общеобразовательная школа № 4»",
            timezone=region.timezone,
        )
        self.categories = {c.code: c for c in Category.objects.all()}
        self.request_tags = [
            Tag.objects.get_or_create(vocabulary=TagVocabulary.REQUEST, name=n)[0] for n in REQUESTS
        ]
        self.competency_tags = [
            Tag.objects.get_or_create(vocabulary=TagVocabulary.COMPETENCY, name=n)[0] for n in COMPETENCIES
        ]
        for name in SUBJECTS:
            Tag.objects.get_or_create(vocabulary=TagVocabulary.SUBJECT, name=name)

        people1 = self._populate(school1, classes_per_grade=2, grades=range(1, 12), teachers=42)
        people7 = self._populate(school7, classes_per_grade=2, grades=range(1, 12), teachers=38)
        people_c = self._populate(
            centre, classes_per_grade=0, grades=range(0), teachers=14, centre_students=160
        )
        self._populate(other_school, classes_per_grade=1, grades=range(1, 12), teachers=20)

        users = self._users(region, municipality, school1, school7, centre, people1)
        self._programs(school1, people1, users["curator1"], teacher_program=True)
        self._programs(school7, people7, users["curator7"], teacher_program=False)
        self._programs(centre, people_c, users["curator_cdt"], teacher_program=False, employer_form=True)
        self._roadmaps(municipality, school1, users)
        from nastavnik.surveys.demo import build_survey_demo

        build_survey_demo()
        from nastavnik.mentoring.demo import build_networking_demo

        build_networking_demo()
        from nastavnik.monitoring.demo import add_demo_monitoring

        add_demo_monitoring(self.today, self.rng)

    def _populate(
        self,
        organisation: Organisation,
        *,
        classes_per_grade: int,
        grades: range,
        teachers: int,
        centre_students: int = 0,
    ) -> dict[str, list[Person]]:
        rng = self.rng
        students: list[Person] = []
        letters = "АБВГ"[:classes_per_grade]

        def new_student(age_at_september: int, **fields: Any) -> Person:
            last, first, middle = self._name(female=rng.random() < 0.5)
            return Person(
                organisation=organisation,
                kind=PersonKind.STUDENT,
                last_name=last,
                first_name=first,
                middle_name=middle,
                birth_date=self._birth_date(age_at_september),
                **fields,
            )

        for grade in grades:
            for letter in letters:
                for _ in range(rng.randint(21, 25)):
                    students.append(
                        new_student(
                            6 + grade,
                            grade=grade,
                            class_letter=letter,
                            joined_on=dt.date(self.year - grade + 1, 9, 1),
                        )
                    )
        studios = ["Робототехника", "Юный журналист", "Театральная студия", "Шахматы"]
        for i in range(centre_students):
            group = f"{rng.choice(studios)}, группа {i % 6 + 1}"
            students.append(new_student(rng.randint(8, 17), study_group=group))
        # A few students left during the year: they stay in the registry but are not counted.
        for student in rng.sample(students, k=max(1, len(students) // 100)):
            student.left_on = self.today - dt.timedelta(days=rng.randint(5, 60))
        _bulk_create_people(students)

        staff: list[Person] = []
        for i in range(teachers):
            female = rng.random() < 0.8
            last, first, middle = self._name(female)
            experience = (
                rng.choice([0, 1, 2, 3, 5, 8, 12, 15, 20, 25, 30, 35]) if i > 3 else rng.randint(0, 2)
            )
            staff.append(
                Person(
                    organisation=organisation,
                    kind=PersonKind.TEACHER,
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    birth_date=self._birth_date(22 + experience + rng.randint(0, 6)),
                    position="Педагог дополнительного образования" if not classes_per_grade else "Учитель",
                    subjects=rng.choice(SUBJECTS),
                    experience_years=experience,
                    is_young_specialist=experience <= 3,
                    email=f"teacher{organisation.pk}-{i + 1}@example.org",
                )
            )
        _bulk_create_people(staff)

        parents: list[Person] = []
        links: list[GuardianLink] = []
        for student in students:
            if rng.random() < 0.08:  # a guardian not yet recorded
                continue
            female = rng.random() < 0.75
            family = student.last_name
            if family.endswith(("ова", "ева", "ёва", "ина")):
                family = family[:-1]
            surname = family if rng.random() < 0.9 else rng.choice(MALE_SURNAMES)
            if female:
                surname = _female(surname)
            first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
            middle = rng.choice(PATRONYMIC_ROOTS) + ("на" if female else "ич")
            parent = Person(
                organisation=organisation,
                kind=PersonKind.PARENT,
                last_name=surname,
                first_name=first,
                middle_name=middle,
                phone=f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
            )
            parents.append(parent)
            links.append(GuardianLink(child=student, guardian=parent, relation="мать" if female else "отец"))
        _bulk_create_people(parents)
        for link in links:
            link.child_id = link.child.pk
            link.guardian_id = link.guardian.pk
        GuardianLink.objects.bulk_create(links)

        self._categories(students, staff)
        self._consents(students, staff, links)
        return {"students": students, "teachers": staff, "parents": parents}

    def _categories(self, students: list[Person], staff: list[Person]) -> None:
        through = Person.categories.through
        rows = []
        shares = {
            "ovz": 0.04,
            "gifted": 0.06,
            "hard-life": 0.03,
            "low-income": 0.08,
            "at-risk": 0.02,
            "orphan": 0.01,
        }
        for student in students:
            for code, share in shares.items():
                if self.rng.random() < share:
                    rows.append(through(person_id=student.pk, category_id=self.categories[code].pk))
        through.objects.bulk_create(rows)

    def _consents(self, students: list[Person], staff: list[Person], links: list[GuardianLink]) -> None:
        rng = self.rng
        signed = dt.date(self.year, 9, 1) + dt.timedelta(days=rng.randint(1, 20))
        consents = []
        guardian_of = {link.child_id: link.guardian_id for link in links}
        for student in students:
            guardian_id = guardian_of.get(student.pk)
            if guardian_id and rng.random() < 0.86:
                consents.append(
                    Consent(
                        subject_id=student.pk,
                        given_by=ConsentGiver.REPRESENTATIVE,
                        representative_id=guardian_id,
                        signed_on=signed + dt.timedelta(days=rng.randint(0, 30)),
                        valid_until=dt.date(self.year + 1, 8, 31) if rng.random() < 0.3 else None,
                    )
                )
            age = student.age_on(self.today)
            if age is not None and age >= 14 and rng.random() < 0.7:
                consents.append(
                    Consent(
                        subject_id=student.pk,
                        given_by=ConsentGiver.SELF,
                        signed_on=signed + dt.timedelta(days=rng.randint(0, 30)),
                    )
                )
        for teacher in staff:
            if rng.random() < 0.9:
                consents.append(Consent(subject_id=teacher.pk, given_by=ConsentGiver.SELF, signed_on=signed))
        # A consent revoked this autumn, so the curator sees what revocation looks like.
        if consents:
            consents[0].revoked_on = min(self.today, signed + dt.timedelta(days=40))
            consents[0].revocation_reason = "Заявление законного представителя"
        Consent.objects.bulk_create(consents)

    def _users(
        self,
        region: Region,
        municipality: Municipality,
        school1: Organisation,
        school7: Organisation,
        centre: Organisation,
        people1: dict[str, list[Person]],
    ) -> dict[str, User]:
        users: dict[str, User] = {}

        def make(username: str, last: str, first: str, middle: str, *roles: tuple[Role, dict]) -> User:
            user = User(
                username=username,
                last_name=last,
                first_name=first,
                middle_name=middle,
                email=f"{username}@example.org",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            for role, scope in roles:
                RoleAssignment.objects.create(user=user, role=role, **scope)
            users[username] = user
            return user

        admin = make("admin", "Администратор", "Системный", "")
        admin.is_staff = admin.is_superuser = True
        admin.save()
        make("rnc", "Соколова", "Ирина", "Владимировна", (Role.REGIONAL_CENTRE, {"region": region}))
        make(
            "mun", "Козлов", "Андрей", "Викторович", (Role.MUNICIPAL_CURATOR, {"municipality": municipality})
        )
        make("director1", "Демаков", "Сергей", "Николаевич", (Role.ORG_ADMIN, {"organisation": school1}))
        make(
            "curator1", "Демакова", "Татьяна", "Викторовна", (Role.PROGRAM_CURATOR, {"organisation": school1})
        )
        make("curator7", "Лагунова", "Елена", "Петровна", (Role.PROGRAM_CURATOR, {"organisation": school7}))
        make(
            "curator_cdt", "Баланюк", "Марина", "Андреевна", (Role.PROGRAM_CURATOR, {"organisation": centre})
        )
        make("psych1", "Орлова", "Наталья", "Игоревна", (Role.SPECIALIST, {"organisation": school1}))

        # Participants' accounts are linked to their registry cards.
        teacher = next(t for t in people1["teachers"] if t.experience_years and t.experience_years >= 15)
        mentor = make(
            "mentor1",
            teacher.last_name,
            teacher.first_name,
            teacher.middle_name,
            (Role.MENTOR, {"organisation": school1}),
        )
        Person.objects.filter(pk=teacher.pk).update(user=mentor)
        student = next(
            s
            for s in people1["students"]
            if s.grade == 7 and not s.left_on and GuardianLink.objects.filter(child=s).exists()
        )
        mentee = make(
            "mentee1",
            student.last_name,
            student.first_name,
            student.middle_name,
            (Role.MENTEE, {"organisation": school1}),
        )
        Person.objects.filter(pk=student.pk).update(user=mentee)
        parent = GuardianLink.objects.filter(child=student).select_related("guardian").first()
        assert parent is not None
        guardian = parent.guardian
        parent_user = make(
            "parent1",
            guardian.last_name,
            guardian.first_name,
            guardian.middle_name,
            (Role.PARENT, {"organisation": school1}),
        )
        Person.objects.filter(pk=guardian.pk).update(user=parent_user)
        # The demo mentor and mentee must be able to take part: make sure their consents exist.
        if not Consent.objects.filter(
            subject=teacher, given_by=ConsentGiver.SELF, revoked_on__isnull=True
        ).exists():
            Consent.objects.create(
                subject=teacher, given_by=ConsentGiver.SELF, signed_on=dt.date(self.year, 9, 10)
            )
        if not Consent.objects.filter(
            subject=student, given_by=ConsentGiver.REPRESENTATIVE, revoked_on__isnull=True
        ).exists():
            Consent.objects.create(
                subject=student,
                given_by=ConsentGiver.REPRESENTATIVE,
                representative=guardian,
                signed_on=dt.date(self.year, 9, 10),
            )
        return users

    def _programs(
        self,
        organisation: Organisation,
        people: dict[str, list[Person]],
        curator: User,
        *,
        teacher_program: bool,
        employer_form: bool = False,
    ) -> None:
        from nastavnik.registry.consents import consent_state

        forms = {f.code: f for f in MentoringForm.objects.filter(organisation__isnull=True)}
        program = Program.objects.create(
            organisation=organisation,
            kind=ProgramKind.STUDENTS,
            title="Программа наставничества обучающихся",
            academic_year=self.year,
            curator=curator,
            max_mentees_per_mentor=3,
            starts_on=dt.date(self.year, 10, 1),
            ends_on=dt.date(self.year + 1, 5, 31),
        )
        program.forms.set(
            [forms["student-student"], forms["teacher-student"]]
            + ([forms["employer-pupil"]] if employer_form else [])
        )
        consents: dict[int, list[Consent]] = {}
        for consent in Consent.objects.filter(subject__organisation=organisation):
            consents.setdefault(consent.subject_id, []).append(consent)

        def eligible(person: Person) -> bool:
            return (
                not person.left_on and consent_state(person, self.today, consents.get(person.pk, [])).is_valid
            )

        participations = []
        # People with demo accounts (mentor1, mentee1) take part in their school's program.
        with_accounts = {
            p.kind: p for p in Person.objects.filter(organisation=organisation, user__isnull=False)
        }
        if PersonKind.STUDENT in with_accounts:
            participations.append(
                Participation(
                    program=program,
                    person=with_accounts[PersonKind.STUDENT],
                    role=ParticipationRole.MENTEE,
                    details="Хочу подтянуть математику и подготовиться к олимпиаде",
                    added_on=self.today,
                )
            )
        if PersonKind.TEACHER in with_accounts:
            participations.append(
                Participation(
                    program=program,
                    person=with_accounts[PersonKind.TEACHER],
                    role=ParticipationRole.MENTOR,
                    capacity=3,
                    details="Учитель с большим стажем, готовит к олимпиадам",
                    added_on=self.today,
                )
            )
        taken = {p.person.pk for p in participations}
        mentee_pool = [
            s
            for s in people["students"]
            if (s.grade in range(5, 10) or not s.grade) and eligible(s) and s.pk not in taken
        ]
        mentor_pool = [
            s
            for s in people["students"]
            if (s.grade in (10, 11) or (not s.grade and (s.age_on(self.today) or 0) >= 15)) and eligible(s)
        ]
        for person in self.rng.sample(mentee_pool, k=min(40, len(mentee_pool))):
            participations.append(
                Participation(
                    program=program,
                    person=person,
                    role=ParticipationRole.MENTEE,
                    details=self.rng.choice(REQUESTS),
                    added_on=self.today,
                )
            )
        for person in self.rng.sample(mentor_pool, k=min(15, len(mentor_pool))):
            participations.append(
                Participation(
                    program=program,
                    person=person,
                    role=ParticipationRole.MENTOR,
                    capacity=2,
                    added_on=self.today,
                )
            )
        teachers = [t for t in people["teachers"] if eligible(t) and t.pk not in taken]
        for person in self.rng.sample(teachers, k=min(6, len(teachers))):
            participations.append(
                Participation(
                    program=program,
                    person=person,
                    role=ParticipationRole.MENTOR,
                    capacity=3,
                    added_on=self.today,
                )
            )
        if teacher_program:
            teachers_program = Program.objects.create(
                organisation=organisation,
                kind=ProgramKind.TEACHERS,
                title="Программа наставничества педагогических работников",
                academic_year=self.year,
                curator=curator,
                max_mentees_per_mentor=2,
            )
            teachers_program.forms.set([forms["teacher-teacher"], forms["teacher-teacher-1"]])
            young = [t for t in teachers if t.is_young_specialist]
            experienced = [t for t in teachers if (t.experience_years or 0) >= 10]
            for person in young:
                participations.append(
                    Participation(
                        program=teachers_program,
                        person=person,
                        role=ParticipationRole.MENTEE,
                        added_on=self.today,
                    )
                )
            for person in experienced[: max(1, len(young) // 2 + 1)]:
                participations.append(
                    Participation(
                        program=teachers_program,
                        person=person,
                        role=ParticipationRole.MENTOR,
                        capacity=2,
                        added_on=self.today,
                    )
                )
        Participation.objects.bulk_create(participations)
        through = Participation.tags.through
        tag_rows = []
        for participation in participations:
            pool = (
                self.request_tags if participation.role == ParticipationRole.MENTEE else self.competency_tags
            )
            for tag in self.rng.sample(pool, k=2):
                tag_rows.append(through(participation_id=participation.pk, tag_id=tag.pk))
        through.objects.bulk_create(tag_rows)

    def _roadmaps(self, municipality: Municipality, school: Organisation, users: dict[str, User]) -> None:
        """A municipal roadmap and the school's program roadmap, with the autumn's work done."""
        from nastavnik.roadmaps.models import EventStatus
        from nastavnik.roadmaps.services import event_set_status, roadmap_create_from_template

        program = Program.objects.get(organisation=school, kind=ProgramKind.STUDENTS, academic_year=self.year)
        roadmaps = [
            roadmap_create_from_template(
                acting_user=users["mun"],
                template_key="municipal",
                academic_year=self.year,
                municipality=municipality,
            ),
            roadmap_create_from_template(
                acting_user=users["curator1"],
                template_key="students",
                academic_year=self.year,
                program=program,
            ),
        ]
        for roadmap, actor in zip(roadmaps, (users["mun"], users["curator1"]), strict=True):
            # Most of what fell due before last week is done; the rest shows up as overdue.
            for event in roadmap.events.filter(
                ends_on__lt=self.today - dt.timedelta(days=7), recurrence="once"
            ):
                if self.rng.random() < 0.8:
                    event_set_status(
                        acting_user=actor,
                        event=event,
                        status=EventStatus.DONE,
                        done_on=min(event.ends_on or self.today, self.today),
                    )


DEMO_LOGINS = [
    ("admin", "суперпользователь (администрирование)"),
    ("rnc", "региональный наставнический центр"),
    ("mun", "муниципальный куратор, Катав-Ивановский район"),
    ("director1", "директор МБОУ «СОШ № 1»"),
    ("curator1", "куратор программ МБОУ «СОШ № 1»"),
    ("curator7", "куратор программы МБОУ «СОШ № 7»"),
    ("curator_cdt", "куратор программы МБУ ДО «ЦДТ»"),
    ("psych1", "педагог-психолог МБОУ «СОШ № 1»"),
    ("mentor1", "наставник (учитель) МБОУ «СОШ № 1»"),
    ("mentee1", "наставляемый (ученик 7 класса)"),
    ("parent1", "родитель наставляемого"),
]


def demo_exists() -> bool:
    return Region.objects.filter(name=DEMO_REGION).exists()
