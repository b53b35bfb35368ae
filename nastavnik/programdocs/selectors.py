"""Reads of the program documents, also for the apps above (readiness, the public page):
`adopted_documents(organisation)` answers «Положение принято?», `published_documents` lists what
the organisation shows on its public «Наставничество» page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from nastavnik.orgs.models import Organisation, Program

from .models import ADOPTED_KINDS, Adoption, CustomTemplate, DocumentKind


@dataclass(frozen=True)
class AdoptedDocument:
    pk: int
    kind: str
    title: str
    adopted_on: dt.date
    order_number: str
    has_scan: bool
    is_published: bool
    program_title: str

    @property
    def label(self) -> str:
        return f"{self.title}, утверждено приказом от {self.adopted_on:%d.%m.%Y} № {self.order_number}"


def _adopted(adoption: Adoption) -> AdoptedDocument:
    return AdoptedDocument(
        pk=adoption.pk,
        kind=adoption.kind,
        title=DocumentKind(adoption.kind).label,
        adopted_on=adoption.adopted_on,
        order_number=adoption.order_number,
        has_scan=bool(adoption.scan),
        is_published=adoption.is_published,
        program_title=adoption.program.title if adoption.program else "",
    )


def adopted_documents(organisation: Organisation | int) -> dict[str, AdoptedDocument]:
    """The latest adoption of each document kind of the organisation, by kind (one query)."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return adopted_documents_of([org_id]).get(org_id, {})


def adopted_documents_of(organisation_ids: Iterable[int]) -> dict[int, dict[str, AdoptedDocument]]:
    rows = (
        Adoption.objects.filter(organisation_id__in=list(organisation_ids))
        .select_related("program")
        .order_by("organisation_id", "kind", "-adopted_on", "-pk")
    )
    result: dict[int, dict[str, AdoptedDocument]] = {}
    for adoption in rows:
        result.setdefault(adoption.organisation_id, {}).setdefault(adoption.kind, _adopted(adoption))
    return result


def published_documents(organisation: Organisation | int) -> list[AdoptedDocument]:
    """Adopted documents the organisation marked for its public page, in the methodology's order."""
    adopted = adopted_documents(organisation)
    return [adopted[kind] for kind in ADOPTED_KINDS if kind in adopted and adopted[kind].is_published]


def adoption_history(organisation: Organisation) -> list[Adoption]:
    return list(
        organisation.adoptions.select_related("program", "recorded_by").order_by("-adopted_on", "-pk")
    )


def custom_templates(organisation: Organisation) -> dict[str, CustomTemplate]:
    return {t.kind: t for t in CustomTemplate.objects.filter(organisation=organisation)}


def custom_template(organisation: Organisation, kind: str) -> CustomTemplate | None:
    return CustomTemplate.objects.filter(organisation=organisation, kind=kind).first()


def programs_of(organisation: Organisation) -> list[Program]:
    return list(organisation.programs.order_by("-academic_year", "title"))
