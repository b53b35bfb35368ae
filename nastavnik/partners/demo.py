"""The demo region's partners: the plant, the university and the technical college of Катав-Ивановск
with their agreements (one of them ends within a month: the renewal reminder shows), and employees
of the plant who mentor pupils — in the centre of children's creativity, whose program has the form
«работодатель – ученик», and as a candidate in school № 1 — and the plant's contact for the centre,
who signs in as partner1 and follows her colleagues' pairs."""

from __future__ import annotations

import datetime as dt

from nastavnik.accounts.demo import demo_user_create
from nastavnik.orgs.models import Organisation, Program
from nastavnik.registry.models import (
    Consent,
    ConsentGiver,
    Participation,
    ParticipationRole,
    Person,
    PersonKind,
)

from .models import Agreement, AgreementStatus, Partner, PartnerEmployee, PartnerKind


def _inn(first_nine: str) -> str:
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return first_nine + str(sum(w * int(c) for w, c in zip(weights, first_nine, strict=True)) % 11 % 10)


def _employee(
    partner: Partner,
    organisation: Organisation,
    today: dt.date,
    names: tuple[str, str, str],
    position: str,
    *,
    is_contact: bool = False,
) -> Person:
    last, first, middle = names
    person = Person.objects.create(
        organisation=organisation,
        kind=PersonKind.PARTNER_EMPLOYEE,
        last_name=last,
        first_name=first,
        middle_name=middle,
        position=position,
        employer=partner.name,
        joined_on=today - dt.timedelta(days=40),
    )
    Consent.objects.create(
        subject=person, given_by=ConsentGiver.SELF, signed_on=today - dt.timedelta(days=35)
    )
    PartnerEmployee.objects.create(partner=partner, person=person, is_contact=is_contact)
    return person


def build_partners_demo(*, today: dt.date, year: int, school1: Organisation, centre: Organisation) -> None:
    plant = Partner.objects.create(
        owner_organisation=school1,
        kind=PartnerKind.EMPLOYER,
        name="АО «Катав-Ивановский литейный завод»",
        inn=_inn("741001234"),
        address="г. Катав-Ивановск, ул. Заводская, 1",
        contact_name="Горбунова Татьяна Юрьевна, начальник отдела кадров",
        contact_phone="+7 351 472-10-15",
    )
    university = Partner.objects.create(
        owner_organisation=school1,
        kind=PartnerKind.UNIVERSITY,
        name="ФГАОУ ВО «Южно-Уральский государственный университет (НИУ)»",
        inn=_inn("745300000"),
        contact_name="Приёмная комиссия",
    )
    college = Partner.objects.create(
        owner_municipality=school1.municipality,
        kind=PartnerKind.COLLEGE,
        name="ГБПОУ «Катав-Ивановский индустриальный техникум»",
        inn=_inn("741000321"),
    )
    Agreement.objects.bulk_create(
        [
            Agreement(
                partner=plant,
                number="14/2025",
                signed_on=dt.date(year - 1, 9, 5),
                starts_on=dt.date(year - 1, 9, 5),
                ends_on=today + dt.timedelta(days=20),
                subject="Наставничество «работодатель – ученик»: профориентационные экскурсии, наставники из "
                "числа сотрудников завода для обучающихся 8–11 классов.",
            ),
            Agreement(
                partner=university,
                number="ЮУрГУ-218",
                signed_on=dt.date(year, 9, 12),
                starts_on=dt.date(year, 9, 12),
                ends_on=dt.date(year + 2, 8, 31),
                subject="Сетевое взаимодействие: студенты-наставники, олимпиадная подготовка, проектные школы.",
            ),
            Agreement(
                partner=college,
                number="7",
                signed_on=dt.date(year, 10, 1),
                starts_on=dt.date(year, 10, 1),
                subject="Наставничество «студент – ученик» и профессиональные пробы.",
                status=AgreementStatus.DRAFT,
            ),
        ]
    )
    candidate = _employee(plant, school1, today, ("Шубин", "Андрей", "Викторович"), "инженер-технолог")
    program1 = Program.objects.filter(organisation=school1, academic_year=year, kind="students").first()
    if program1 is not None:
        Participation.objects.create(
            program=program1,
            person=candidate,
            role=ParticipationRole.MENTOR,
            capacity=2,
            details="Сотрудник организации-партнёра: профориентация, техническое творчество.",
        )
    centre_plant = Partner.objects.create(
        owner_organisation=centre,
        kind=PartnerKind.EMPLOYER,
        name="АО «Катав-Ивановский литейный завод»",
        inn=plant.inn,
    )
    Agreement.objects.create(
        partner=centre_plant,
        number="3-ЦДТ",
        signed_on=dt.date(year, 9, 20),
        starts_on=dt.date(year, 9, 20),
        ends_on=dt.date(year + 1, 6, 30),
        subject="Наставники из числа сотрудников завода для кружков технического творчества.",
    )
    # The plant's contact for the centre follows the pairs of its employees (login partner1; no
    # role: what she sees comes from being the contact).
    names = ("Горбунова", "Татьяна", "Юрьевна")
    contact = _employee(centre_plant, centre, today, names, "начальник отдела кадров", is_contact=True)
    contact.user = demo_user_create("partner1", *names)
    contact.save(update_fields=["user"])
    program_c = Program.objects.filter(organisation=centre, academic_year=year, kind="students").first()
    for names, position in (
        (("Ерохин", "Павел", "Сергеевич"), "мастер участка"),
        (("Лаптева", "Ирина", "Олеговна"), "инженер-конструктор"),
    ):
        person = _employee(centre_plant, centre, today, names, position)
        if program_c is not None:
            Participation.objects.create(
                program=program_c, person=person, role=ParticipationRole.MENTOR, capacity=2
            )
