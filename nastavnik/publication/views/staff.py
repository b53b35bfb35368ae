"""The curator's page of publications: list, create, edit, publish, unpublish, and the snippets
(iframe block and RSS feed) to paste into the school's own site."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nastavnik.accounts.access import require
from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.time import local_today
from nastavnik.orgs.models import Organisation
from nastavnik.registry.consents import distribution_allowed

from .. import access, selectors, services
from ..forms import OrganisationChoiceForm, PublicationForm
from ..models import Publication


def _organisation(request: AuthenticatedHttpRequest) -> Organisation:
    organisations = access.publishing_organisations_for(request.user)
    chosen = request.GET.get("organisation") or request.POST.get("organisation_pk")
    if chosen:
        return access.get_publishing_organisation_for_user(request.user, chosen)  # type: ignore[arg-type]
    first = organisations.order_by("short_name").first()
    require(first is not None, "Публикации ведут администрация и кураторы организации.")
    assert first is not None
    return first


@login_required
def publication_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    access.require_manage_publications(request.user, organisation)
    publications = access.managed_publications_for(request.user).filter(organisation=organisation)
    # Published but hidden right now: someone featured has no (or a revoked) consent to dissemination.
    shown = set(
        selectors.visible_publications(
            selectors.organisation_only(organisation), local_today(organisation)
        ).values_list("pk", flat=True)
    )
    page_url = request.build_absolute_uri(reverse("publication:organisation", args=[organisation.pk]))
    embed_url = request.build_absolute_uri(reverse("publication:embed", args=[organisation.pk]))
    feed_url = request.build_absolute_uri(reverse("publication:feed", args=[organisation.pk]))
    return render(
        request,
        "publication/staff_list.html",
        {
            "organisation": organisation,
            "publications": publications.prefetch_related("people").order_by("-published_on", "-pk"),
            "choice": OrganisationChoiceForm(
                initial={"organisation": organisation.pk},
                organisations=access.publishing_organisations_for(request.user),
            ),
            "shown": shown,
            "page_url": page_url,
            "embed_url": embed_url,
            "feed_url": feed_url,
        },
    )


def _form(
    request: AuthenticatedHttpRequest, organisation: Organisation, instance: Publication | None
) -> PublicationForm:
    people = access.featurable_people_for(request.user, organisation).prefetch_related("consents")
    day = local_today(organisation)
    consented = {p.pk for p in people if distribution_allowed(p, day, p.consents.all())}
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    initial = None if instance else {"published_on": day}
    return PublicationForm(*data, instance=instance, initial=initial, people=people, consented_ids=consented)


def _edit(
    request: AuthenticatedHttpRequest, organisation: Organisation, publication: Publication | None
) -> HttpResponse:
    access.require_manage_publications(request.user, organisation)
    form = _form(request, organisation, publication)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.FIELDS}
        try:
            saved = services.publication_save(
                acting_user=request.user,
                organisation=organisation,
                publication=publication,
                people=form.cleaned_data["people"],
                **fields,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Публикация сохранена.")
            return redirect(f"{reverse('publication:staff_list')}?organisation={saved.organisation_id}")
    return render(
        request,
        "publication/staff_form.html",
        {"form": form, "organisation": organisation, "publication": publication},
    )


@login_required
def publication_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _edit(request, _organisation(request), None)


@login_required
def publication_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    publication = access.get_publication_for_user(request.user, pk)
    return _edit(request, publication.organisation, publication)


@login_required
@require_POST
def publication_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    publication = access.get_publication_for_user(request.user, pk)
    try:
        services.publication_publish(acting_user=request.user, publication=publication)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Опубликовано на странице «Наставничество».")
    return redirect(f"{reverse('publication:staff_list')}?organisation={publication.organisation_id}")


@login_required
@require_POST
def publication_unpublish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    publication = access.get_publication_for_user(request.user, pk)
    services.publication_unpublish(acting_user=request.user, publication=publication)
    messages.success(request, "Публикация снята со страницы.")
    return redirect(f"{reverse('publication:staff_list')}?organisation={publication.organisation_id}")
