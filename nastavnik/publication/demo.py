"""The public «Наставничество» pages of the demo schools: news, the program's results, a best mentor
with the consent to dissemination and a photo, a draft naming a teacher without that consent (it
cannot be published), and a news item whose consent was revoked (hidden from the public page)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from nastavnik.accounts.models import User
from nastavnik.orgs.models import Organisation
from nastavnik.registry.models import ConsentGiver, ConsentKind, Person, PersonKind
from nastavnik.registry.services.people import consent_record, consent_revoke

from . import services
from .models import Publication, PublicationKind


def demo_photo() -> SimpleUploadedFile:
    """A small drawn picture (no real person's photo in the demo)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 360), "#dbe7f5")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 220, 600, 330), fill="#1f5fa8")
    for x in (140, 320, 500):
        draw.ellipse((x - 40, 90, x + 40, 170), fill="#f2c9a0")
        draw.rectangle((x - 50, 170, x + 50, 260), fill="#2f7a4f")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("demo.png", buffer.getvalue(), content_type="image/png")


def _teachers(organisation: Organisation) -> list[Person]:
    return list(Person.objects.filter(organisation=organisation, kind=PersonKind.TEACHER).order_by("pk")[:6])


def _consent(curator: User, person: Person, day: dt.date):
    return consent_record(
        acting_user=curator,
        subject=person,
        kind=ConsentKind.DISTRIBUTION,
        given_by=ConsentGiver.SELF,
        signed_on=day,
    )


def _publish(curator: User, organisation: Organisation, people: list[Person], **fields) -> Publication:
    publication = services.publication_save(
        acting_user=curator, organisation=organisation, people=people, **fields
    )
    return services.publication_publish(acting_user=curator, publication=publication)


def build_publication_demo(today: dt.date) -> bool:
    users = {u.username: u for u in User.objects.filter(username__in=["curator1", "curator7"])}
    if Publication.objects.exists() or len(users) < 2:
        return False
    curator1, curator7 = users["curator1"], users["curator7"]
    school1 = Organisation.objects.filter(pk__in=curator1.role_assignments.values("organisation_id")).first()
    school7 = Organisation.objects.filter(pk__in=curator7.role_assignments.values("organisation_id")).first()
    if school1 is None or school7 is None:
        return False
    teachers = _teachers(school1)
    consent_day = today - dt.timedelta(days=30)
    best, organiser, later_revoked, without = teachers[0], teachers[1], teachers[2], teachers[3]
    for person in (best, organiser, later_revoked):
        _consent(curator1, person, consent_day)
    _publish(
        curator1,
        school1,
        [],
        kind=PublicationKind.NEWS,
        title="Стартовала программа наставничества",
        text="В школе сформированы наставнические пары «ученик – ученик» и «учитель – ученик». Встречи идут каждую неделю.",
        published_on=today - dt.timedelta(days=60),
    )
    _publish(
        curator1,
        school1,
        [organiser],
        kind=PublicationKind.NEWS,
        title="Неделя наставничества: открытые встречи пар",
        text=f"{organiser.full_name} провела открытую встречу наставнических пар для родителей.",
        published_on=today - dt.timedelta(days=12),
        photo=demo_photo(),
    )
    _publish(
        curator1,
        school1,
        [best],
        kind=PublicationKind.BEST_MENTOR,
        title="Лучший наставник полугодия",
        text=f"{best.full_name} — наставник трёх молодых специалистов; все трое прошли аттестацию.",
        published_on=today - dt.timedelta(days=5),
    )
    _publish(
        curator1,
        school1,
        [],
        kind=PublicationKind.RESULTS,
        title="Итоги первой четверти",
        text="Завершены короткие программы пяти пар; два кейса отправлены в муниципальный банк практик.",
        published_on=today - dt.timedelta(days=3),
    )
    _publish(
        curator1,
        school1,
        [later_revoked],
        kind=PublicationKind.NEWS,
        title="Мастер-класс для наставников",
        text=f"{later_revoked.full_name} провёл мастер-класс.",
        published_on=today - dt.timedelta(days=20),
    )
    consent = later_revoked.consents.get(kind=ConsentKind.DISTRIBUTION)
    consent_revoke(
        acting_user=curator1,
        consent=consent,
        revoked_on=today - dt.timedelta(days=1),
        reason="Отозвано письменно",
    )
    services.publication_save(
        acting_user=curator1,
        organisation=school1,
        people=[without],
        kind=PublicationKind.NEWS,
        title="Педагог-наставник на муниципальном конкурсе",
        text=f"{without.full_name} — участник конкурса.",
        published_on=today,
    )
    _publish(
        curator7,
        school7,
        [],
        kind=PublicationKind.NEWS,
        title="Наставничество в школе № 7",
        text="Открыт раздел «Наставничество»: здесь будут новости программы.",
        published_on=today - dt.timedelta(days=10),
    )
    return True
