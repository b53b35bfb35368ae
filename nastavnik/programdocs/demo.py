"""The demo region's adopted documents: school № 1 has adopted the whole set (the Положение and the
program shown on its public page), school № 7 only the order introducing the model."""

from __future__ import annotations

import datetime as dt

from nastavnik.orgs.models import Organisation

from .models import Adoption, DocumentKind

SCHOOL1_ADOPTIONS = (
    (DocumentKind.MODEL_ORDER, "112-о", True),
    (DocumentKind.REGULATION, "113-о", True),
    (DocumentKind.PROGRAM, "114-о", True),
    (DocumentKind.ROADMAP_ORDER, "115-о", False),
)


def build_documents_demo(*, year: int, school1: Organisation, school7: Organisation) -> None:
    program1 = school1.programs.filter(kind="students").first()
    for kind, number, published in SCHOOL1_ADOPTIONS:
        Adoption.objects.create(
            organisation=school1,
            kind=kind,
            program=program1,
            adopted_on=dt.date(year, 8, 29),
            order_number=number,
            is_published=published,
        )
    Adoption.objects.create(
        organisation=school7,
        kind=DocumentKind.MODEL_ORDER,
        program=school7.programs.first(),
        adopted_on=dt.date(year, 9, 2),
        order_number="58",
    )
