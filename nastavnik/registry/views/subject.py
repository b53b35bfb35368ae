"""152-ФЗ duties on the person card: the subject access export and erasure (administration only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from nastavnik.accounts.http import AuthenticatedHttpRequest

from ..access import can_manage_person, get_person_for_user
from ..models import Person
from ..services.erasure import is_erased, person_erase
from ..services.subject_export import person_export_subject_data


def _managed_person(request: AuthenticatedHttpRequest, pk: int) -> Person:
    """404 outside the user's scope, 403 inside it without the right to manage."""
    person = get_person_for_user(request.user, pk)
    if not can_manage_person(request.user, person):
        raise PermissionDenied("Это может только администрация организации участника.")
    return person


@login_required
def subject_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    archive = person_export_subject_data(acting_user=request.user, person=person)
    response = HttpResponse(archive, content_type="application/zip")
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="subject-{person.pk}-{stamp}.zip"'
    return response


class EraseForm(forms.Form):
    reason = forms.CharField(
        label="Основание (заявление субъекта, отзыв согласия, решение администрации)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    surname = forms.CharField(label="Для подтверждения введите фамилию участника", max_length=100)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_surname(self) -> str:
        surname: str = self.cleaned_data["surname"]
        if surname.strip().casefold() != self.person.last_name.strip().casefold():
            raise ValidationError("Фамилия введена неверно.")
        return surname


@login_required
def subject_erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    if is_erased(person):
        messages.info(request, "Персональные данные этого участника уже удалены.")
        return redirect("registry:person_detail", pk=person.pk)
    form = EraseForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        person_erase(acting_user=request.user, person=person, reason=form.cleaned_data["reason"])
        messages.success(request, "Персональные данные удалены, запись участника обезличена.")
        return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/subject_erase.html", {"person": person, "form": form})
