"""factory-boy factories for the foundation models. Dates are fixed relative to TODAY so that
age edges are deterministic."""

from __future__ import annotations

import datetime as dt

import factory

from nastavnik.accounts.models import Role, RoleAssignment, User
from nastavnik.base.time import today_in
from nastavnik.orgs.models import Municipality, Organisation, Program, ProgramKind, Region
from nastavnik.registry.models import Consent, ConsentGiver, GuardianLink, Person, PersonKind

PASSWORD = "test-pass-123"


# The bytes of a consent scan (a PDF by its content, as uploads are checked).
SCAN_PDF = b"%PDF-1.4\n% scan of a consent\n" + b"0" * 2000


def years_ago(years: int, days: int = 0) -> dt.date:
    """A birth date that makes someone `years` old today (plus `days` younger)."""
    today = today_in()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return day + dt.timedelta(days=days)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Регион {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Муниципальный район {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Средняя общеобразовательная школа № {n}")
    short_name = factory.Sequence(lambda n: f"СОШ № {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    organisation = factory.SubFactory(OrganisationFactory)
    kind = ProgramKind.STUDENTS
    title = "Программа наставничества обучающихся"
    academic_year = 2026


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Иванова"
    first_name = "Мария"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def user_with_role(role: Role, **scope: object) -> User:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    kind = PersonKind.STUDENT
    last_name = factory.Sequence(lambda n: f"Петров{n}")
    first_name = "Иван"
    middle_name = "Сергеевич"
    birth_date = dt.date(2012, 3, 15)
    grade = 8
    class_letter = "А"


class TeacherFactory(PersonFactory):
    kind = PersonKind.TEACHER
    birth_date = dt.date(1980, 1, 1)
    grade = None
    class_letter = ""
    position = "Учитель математики"
    experience_years = 20


class ParentFactory(PersonFactory):
    kind = PersonKind.PARENT
    birth_date = None
    grade = None
    class_letter = ""
    first_name = "Ольга"
    middle_name = "Ивановна"


def guardian_for(child: Person) -> Person:
    parent = ParentFactory(organisation=child.organisation, last_name=child.last_name)
    GuardianLink.objects.create(child=child, guardian=parent, relation="мать")
    return parent


def give_consent(
    person: Person, *, by: Person | None = None, signed_on: dt.date = dt.date(2026, 9, 1), **kwargs: object
) -> Consent:
    return Consent.objects.create(
        subject=person,
        given_by=ConsentGiver.REPRESENTATIVE if by else ConsentGiver.SELF,
        representative=by,
        signed_on=signed_on,
        **kwargs,
    )
