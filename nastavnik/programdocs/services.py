"""Writes of the program documents: an organisation's own template (checked before it is kept), its
reset to the built-in one, and the record that a document was adopted."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.orgs.models import Organisation, Program

from .access import get_program_of, require_manage_documents
from .context import context_for
from .documents import TemplateCheck, check_template
from .models import ADOPTED_KINDS, Adoption, CustomTemplate, DocumentKind


def template_upload(
    *, acting_user: User, organisation: Organisation, kind: str, upload: UploadedFile
) -> TemplateCheck:
    """Keep the organisation's own template of a document if it renders with the document's data;
    the check (its errors, or the data fields the template left out) is returned either way."""
    require_manage_documents(acting_user, organisation)
    kind = DocumentKind(kind)
    data = upload.read()
    upload.seek(0)
    check = check_template(
        kind, data, context_for(kind, organisation, program=get_program_of(organisation, None))
    )
    if not check.ok:
        return check
    template = CustomTemplate.objects.filter(organisation=organisation, kind=kind).first() or CustomTemplate(
        organisation=organisation, kind=kind
    )
    template.file = upload
    template.original_name = (upload.name or "")[:255]
    template.uploaded_by = acting_user
    template.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        template.save()
    return check


def template_reset(*, acting_user: User, organisation: Organisation, kind: str) -> None:
    """Back to the built-in wording: the organisation's own template is removed."""
    require_manage_documents(acting_user, organisation)
    with transaction.atomic(), acting_as(acting_user):
        # Its file leaves the disk once this commits (base/file_cleanup.py).
        for template in CustomTemplate.objects.filter(organisation=organisation, kind=kind):
            template.delete()


def adoption_record(
    *,
    acting_user: User,
    organisation: Organisation,
    kind: str,
    adopted_on: dt.date,
    order_number: str,
    program: Program | None = None,
    scan: UploadedFile | None = None,
    is_published: bool = False,
) -> Adoption:
    require_manage_documents(acting_user, organisation)
    if kind not in ADOPTED_KINDS:
        raise ValidationError({"kind": "Этот документ не принимается приказом организации."})
    if program is not None and program.organisation_id != organisation.pk:
        raise ValidationError({"program": "Программа другой организации."})
    adoption = Adoption(
        organisation=organisation,
        kind=kind,
        program=program,
        adopted_on=adopted_on,
        order_number=order_number.strip(),
        is_published=is_published,
        recorded_by=acting_user,
    )
    if scan is not None:
        adoption.scan = scan
    adoption.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        adoption.save()
    return adoption


def adoption_set_published(*, acting_user: User, adoption: Adoption, is_published: bool) -> Adoption:
    require_manage_documents(acting_user, adoption.organisation)
    adoption.is_published = is_published
    with transaction.atomic(), acting_as(acting_user):
        adoption.save(update_fields=["is_published"])
    return adoption
