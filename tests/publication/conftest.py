"""A public world for school X: a news item naming a teacher with a photo, a «лучший наставник»
publication, and a case published with the names of a pair — everyone with the consent to
dissemination, so each test can take it away (delete it, or revoke it) and look at every page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nastavnik.base.time import today_in
from nastavnik.cases import services as case_services
from nastavnik.cases.models import Case
from nastavnik.publication import services
from nastavnik.publication.models import Publication, PublicationKind
from nastavnik.registry.models import Person
from tests.builders import teacher
from tests.cases.conftest import (
    accepted_by_school,
    allow_distribution,
    completed_pair,
    people_of,
    program,  # noqa: F401  (the fixture)
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class World:
    news: Publication
    best: Publication
    case: Case
    teacher: Person
    best_mentor: Person
    case_people: list[Person]

    @property
    def people(self) -> list[Person]:
        return [self.teacher, self.best_mentor, *self.case_people]


def publish(curator, organisation, people, kind=PublicationKind.NEWS, title="Новость", photo=None, day=None):
    publication = services.publication_save(
        acting_user=curator,
        organisation=organisation,
        people=people,
        kind=kind,
        title=title,
        text=f"{title}: " + ", ".join(p.full_name for p in people),
        published_on=day or today_in() - dt.timedelta(days=2),
        photo=photo,
    )
    return services.publication_publish(acting_user=curator, publication=publication)


@pytest.fixture
def world(school_x, program, school_x_curator):  # noqa: F811
    news_teacher = teacher(
        school_x, experience=12, last_name="Громова", first_name="Елена", middle_name="Викторовна"
    )
    best_mentor = teacher(
        school_x, experience=25, last_name="Кузнецов", first_name="Пётр", middle_name="Ильич"
    )
    pair = completed_pair(program, school_x_curator)
    for person in (news_teacher, best_mentor, *people_of(pair)):
        allow_distribution(person)
    news = publish(
        school_x_curator,
        school_x,
        [news_teacher],
        title="Неделя наставничества",
        photo=SimpleUploadedFile("day.png", PNG),
    )
    best = publish(
        school_x_curator,
        school_x,
        [best_mentor],
        kind=PublicationKind.BEST_MENTOR,
        title="Лучший наставник года",
    )
    case = case_services.case_create(acting_user=school_x_curator, group=pair, title="Математика без страха")
    accepted_by_school(case, school_x_curator)
    case_services.case_publish(acting_user=school_x_curator, case=case, named=True)
    return World(news, best, case, news_teacher, best_mentor, people_of(pair))
