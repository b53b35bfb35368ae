"""Training pages: the calendar of the user's levels, a course (sessions, people, attendance,
completion and certificates), the form of a course, who is trained across the schools, and the
private scan of a certificate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nastavnik.accounts.access import scopes_of
from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.files import serve_private_file
from nastavnik.base.time import today_in
from nastavnik.orgs.access import (
    curated_municipalities_for,
    managed_organisations_for,
    overseen_organisations_for,
    overseen_regions_for,
    oversees_many_organisations,
)

from . import selectors, services
from .access import (
    can_create_courses,
    can_manage_course,
    can_record_completion,
    enrollable_people_for,
    get_certificate_scan_for_user,
    get_course_for_user,
    get_enrolment_for_user,
)
from .forms import CompletionForm, CourseForm, EnrolForm, SessionForm


def _add_errors(form: Any, error: ValidationError) -> None:
    for field, errors in getattr(error, "error_dict", {None: error.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    courses = list(selectors.calendar_courses(request.user))
    return render(
        request,
        "training/calendar.html",
        {
            "courses": courses,
            "sessions": selectors.upcoming_sessions(request.user, today_in()),
            "can_create": can_create_courses(request.user),
            "can_see_trained": scopes_of(request.user).is_staff_anywhere,
        },
    )


def _levels(request: AuthenticatedHttpRequest) -> list[tuple[str, str]]:
    """The levels the user may offer a course at, as form choices «region:1»."""
    user = request.user
    levels = [(f"region:{r.pk}", f"Регион: {r.name}") for r in overseen_regions_for(user)]
    levels += [(f"municipality:{m.pk}", f"Муниципалитет: {m.name}") for m in curated_municipalities_for(user)]
    levels += [(f"organisation:{o.pk}", o.short_name) for o in managed_organisations_for(user)]
    return levels


def _level_object(request: AuthenticatedHttpRequest, value: str) -> Any:
    kind, _, pk = value.partition(":")
    sources = {
        "region": overseen_regions_for,
        "municipality": curated_municipalities_for,
        "organisation": managed_organisations_for,
    }
    if kind not in sources or not pk.isdigit():
        raise PermissionDenied("Выберите уровень, который вы ведёте.")
    level = sources[kind](request.user).filter(pk=int(pk)).first()
    if level is None:
        raise PermissionDenied("Выберите уровень, который вы ведёте.")
    return level


@login_required
def course_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    course = get_course_for_user(request.user, pk) if pk else None
    if course is not None and not can_manage_course(request.user, course):
        raise PermissionDenied("Изменять курс может уровень, который его проводит.")
    levels = _levels(request)
    if course is None and not levels:
        raise PermissionDenied("Курсы создают региональный центр, муниципалитет и школы.")
    form = CourseForm(request.POST or None, instance=course, levels=levels)
    if request.method == "POST" and form.is_valid():
        try:
            if course is None:
                level = _level_object(request, form.cleaned_data["level"])
                course = services.course_create(
                    acting_user=request.user, level=level, **form.service_fields()
                )
            else:
                course.refresh_from_db()
                services.course_update(acting_user=request.user, course=course, **form.service_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Курс сохранён.")
            return redirect("training:course_detail", pk=course.pk)
    return render(request, "training/course_form.html", {"form": form, "course": course})


@login_required
def course_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_user(request.user, pk)
    manages = can_manage_course(request.user, course)
    sessions = list(course.sessions.all())
    enrolments = selectors.course_enrolments(request.user, course)
    people = enrollable_people_for(request.user, course) if request.user.is_authenticated else None
    choices = (
        [(p.pk, f"{p.full_name} ({p.organisation.short_name})") for p in people] if people is not None else []
    )
    initial = {"completed_on": min(course.ends_on, today_in())}
    for enrolment in enrolments:
        enrolment.can_complete = can_record_completion(request.user, enrolment)  # type: ignore[attr-defined]
        # One form per person on the page: ids of its own so labels point at the right fields.
        enrolment.completion_form = CompletionForm(initial=initial, auto_id=f"id_e{enrolment.pk}_%s")  # type: ignore[attr-defined]
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "manages": manages,
            "sessions": sessions,
            "enrolments": enrolments,
            "session_form": SessionForm() if manages else None,
            "enrol_form": EnrolForm(people=choices) if choices else None,
        },
    )


@login_required
@require_POST
def session_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_user(request.user, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_create(acting_user=request.user, course=course, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Занятие добавлено.")
    else:
        messages.error(request, "Занятие не добавлено: проверьте дату, тему и часы.")
    return redirect("training:course_detail", pk=course.pk)


@login_required
@require_POST
def enrol(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_user(request.user, pk)
    people = enrollable_people_for(request.user, course)
    form = EnrolForm(request.POST, people=[(p.pk, p.full_name) for p in people])
    if not form.is_valid():
        messages.error(request, "Выберите слушателя из списка и его роль.")
        return redirect("training:course_detail", pk=course.pk)
    person = people.get(pk=form.cleaned_data["person"])
    try:
        services.enrolment_create(
            acting_user=request.user, course=course, person=person, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{person.full_name} записан(а) на курс.")
    return redirect("training:course_detail", pk=course.pk)


@login_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_user(request.user, pk)
    if not can_manage_course(request.user, course):
        raise PermissionDenied("Отмечать посещаемость может уровень, который проводит курс.")
    marks = {tuple(int(x) for x in v.split(":")) for v in request.POST.getlist("present") if _is_mark(v)}
    try:
        for session in course.sessions.all():
            present = [enrolment for session_id, enrolment in marks if session_id == session.pk]
            services.attendance_mark(acting_user=request.user, session=session, present=present)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Посещаемость сохранена, часы слушателей пересчитаны.")
    return redirect("training:course_detail", pk=course.pk)


def _is_mark(value: str) -> bool:
    left, _, right = value.partition(":")
    return left.isdigit() and right.isdigit()


@login_required
@require_POST
def complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, pk)
    form = CompletionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Окончание курса не отмечено: " + _errors_text(form))
        return redirect("training:course_detail", pk=enrolment.course_id)
    try:
        services.enrolment_complete(acting_user=request.user, enrolment=enrolment, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, f"{enrolment.person.full_name}: " + " ".join(error.messages))
    else:
        messages.success(request, f"{enrolment.person.full_name}: курс завершён.")
    return redirect("training:course_detail", pk=enrolment.course_id)


def _errors_text(form: Any) -> str:
    from nastavnik.base.forms import form_errors_as_text

    return form_errors_as_text(form)


@login_required
def trained(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who is trained across the schools the user oversees (region, municipality, school)."""
    if not scopes_of(request.user).is_staff_anywhere:
        raise PermissionDenied("Список обученных видят кураторы, муниципалитет и региональный центр.")
    day = today_in()
    return render(
        request,
        "training/trained.html",
        {
            "shares": selectors.trained_shares(request.user, day),
            "enrolments": selectors.trained_list(
                request.user, overseen_organisations_for(request.user).values_list("pk", flat=True)
            ),
            "many": oversees_many_organisations(request.user),
        },
    )


@login_required
def certificate_scan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    certificate = get_certificate_scan_for_user(request.user, pk)
    if not certificate.scan:
        raise Http404("Скан не загружен")
    suffix = "." + certificate.scan.name.rsplit(".", 1)[-1] if "." in certificate.scan.name else ""
    return serve_private_file(request, certificate.scan, f"udostoverenie-{certificate.pk}{suffix}")
