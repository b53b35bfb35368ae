from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.files import serve_private_file
from nastavnik.base.forms import form_errors_as_text
from nastavnik.base.names import person_name_in
from nastavnik.base.time import local_today
from nastavnik.orgs.access import can_manage_program, get_program_for_user
from nastavnik.orgs.models import Program

from . import services
from .access import can_view_program_matching, get_run_for_user, require_manage_matching
from .compatibility import FACTOR_LABELS
from .documents import order_data, order_docx, order_pdf
from .forms import ConfirmForm, ExclusionForm, FixedPairForm, MoveForm, RunForm
from .models import MatchingRun, Method, RunStatus
from .orders import (
    order_document_of,
    order_document_outdated,
    order_document_request,
    order_document_stored,
    order_in_background,
)
from .selectors import program_exclusions, program_fixed_pairs, program_runs, run_board, run_pair


def _program(request: AuthenticatedHttpRequest, pk: int) -> Program:
    program = get_program_for_user(request.user, pk)
    if not can_view_program_matching(request.user, program):
        raise PermissionDenied("Подбор пар доступен кураторам программы.")
    return program


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def program_matching(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The program's matching page: start a run, earlier runs, exclusions and fixed pairs."""
    program = _program(request, pk)
    can_manage = can_manage_program(request.user, program)
    form = RunForm(request.POST or None, program=program)
    if request.method == "POST":
        require_manage_matching(request.user, program)
        if form.is_valid():
            try:
                run = services.matching_run_start(
                    acting_user=request.user,
                    program=program,
                    form=form.cleaned_data["form"],
                    objective=form.cleaned_data["objective"],
                    weights=form.weights(),
                    rules=form.rules(),
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                return redirect("matching:run_detail", pk=run.pk)
    return render(
        request,
        "matching/program_matching.html",
        {
            "program": program,
            "can_manage": can_manage,
            "form": form,
            "runs": list(program_runs(program)[:20]),
            "exclusions": list(program_exclusions(program)),
            "fixed_pairs": list(program_fixed_pairs(program)),
            "exclusion_form": ExclusionForm(program=program) if can_manage else None,
            "fixed_form": FixedPairForm(program=program) if can_manage else None,
        },
    )


def _board_context(request: AuthenticatedHttpRequest, run: MatchingRun) -> dict[str, Any]:
    return {
        "run": run,
        "board": run_board(run),
        "program": run.program,
        "can_edit": run.is_draft and can_manage_program(request.user, run.program),
        "factor_labels": FACTOR_LABELS,
        "order_pdf_in_background": order_in_background(run),
    }


@login_required
def run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = get_run_for_user(request.user, pk)
    template = "matching/_board.html" if request.htmx else "matching/run_detail.html"
    return render(request, template, _board_context(request, run))


def _after_edit(request: AuthenticatedHttpRequest, run: MatchingRun) -> HttpResponse:
    if request.htmx:
        return render(request, "matching/_board.html", _board_context(request, run))
    return redirect("matching:run_detail", pk=run.pk)


def _editable_run(request: AuthenticatedHttpRequest, pk: int) -> MatchingRun:
    run = get_run_for_user(request.user, pk)
    require_manage_matching(request.user, run.program)
    return run


@login_required
@require_POST
def pair_action(request: AuthenticatedHttpRequest, pk: int, pair_pk: int, action: str) -> HttpResponse:
    run = _editable_run(request, pk)
    pair = run_pair(run, pair_pk)
    if pair is None:
        raise Http404("Пара не найдена")
    names = f"{pair.mentee.person.short_name} — {pair.mentor.person.short_name}"
    try:
        if action == "fix":
            services.proposal_pair_fix(acting_user=request.user, pair=pair)
            messages.success(request, f"Пара {names} закреплена: повторный подбор её сохранит.")
        elif action == "unfix":
            services.proposal_pair_unfix(acting_user=request.user, pair=pair)
            messages.success(request, f"С пары {names} снято закрепление.")
        elif action == "break":
            services.proposal_pair_break(
                acting_user=request.user, pair=pair, reason=request.POST.get("reason", "")
            )
            messages.success(request, f"Пара {names} разорвана и больше не будет предложена.")
        else:
            raise Http404("Неизвестное действие")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return _after_edit(request, run)


@login_required
@require_POST
def proposal_move(request: AuthenticatedHttpRequest, pk: int, method: str) -> HttpResponse:
    run = _editable_run(request, pk)
    proposal = run.proposals.filter(method=method).first()
    if proposal is None:
        raise Http404("Вариант не найден")
    form = MoveForm(request.POST, program=run.program)
    if form.is_valid():
        mentee, mentor = form.cleaned_data["mentee"], form.cleaned_data["mentor"]
        try:
            services.proposal_move_mentee(
                acting_user=request.user, proposal=proposal, mentee=mentee, mentor=mentor
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                f"{mentee.person.short_name} теперь у наставника {person_name_in(mentor.person, 'gent', short=True)} (пара закреплена).",
            )
    else:
        messages.error(request, form_errors_as_text(form))
    return _after_edit(request, run)


@login_required
@require_POST
def run_rerun(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _editable_run(request, pk)
    try:
        new_run = services.matching_run_rerun(acting_user=request.user, run=run)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("matching:run_detail", pk=run.pk)
    messages.success(request, "Подбор выполнен заново с учётом закреплённых и разорванных пар.")
    return redirect("matching:run_detail", pk=new_run.pk)


@login_required
def run_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _editable_run(request, pk)
    if run.status != RunStatus.DRAFT:
        messages.error(request, "Этот подбор уже утверждён или заменён новым.")
        return redirect("matching:run_detail", pk=run.pk)
    method = request.GET.get("proposal", Method.OPTIMAL)
    form = ConfirmForm(
        request.POST or None,
        initial={
            "proposal": method if method in Method.values else Method.OPTIMAL,
            "order_date": local_today(run.program.organisation),
        },
    )
    if request.method == "POST" and form.is_valid():
        proposal = run.proposals.get(method=form.cleaned_data["proposal"])
        try:
            result = services.matching_run_confirm(
                acting_user=request.user,
                run=run,
                proposal=proposal,
                order_number=form.cleaned_data["order_number"],
                order_date=form.cleaned_data["order_date"],
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            note = f"Создано пар и групп: {len(result.groups)}. Уведомлено по e-mail: {result.notified}."
            if result.without_email:
                note += f" Без e-mail: {result.without_email} — сообщите им лично."
            messages.success(request, note)
            return redirect("matching:run_detail", pk=run.pk)
    return render(
        request,
        "matching/run_confirm.html",
        {"run": run, "form": form, "board": run_board(run), "program": run.program},
    )


def _confirmed_run(request: AuthenticatedHttpRequest, pk: int) -> MatchingRun:
    run = get_run_for_user(request.user, pk)
    if not run.is_confirmed:
        raise Http404("Приказ формируется после утверждения пар")
    return run


def _filename(run: MatchingRun, extension: str) -> str:
    return f"prikaz-pary-{run.program_id}-{run.pk}.{extension}"


@login_required
def order_download_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _confirmed_run(request, pk)
    response = HttpResponse(
        order_docx(order_data(run)),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(run, "docx")}"'
    return response


@login_required
def order_download_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """A short order's PDF is made at once; a long one's is the stored file while it holds what
    the order says now, or else its page, which asks for a build (a POST: a download changes
    nothing) or waits for it."""
    run = _confirmed_run(request, pk)
    if not order_in_background(run):
        response = HttpResponse(order_pdf(order_data(run)), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{_filename(run, "pdf")}"'
        return response
    document = order_document_stored(run)
    if document is not None:
        return serve_private_file(request, document.file, _filename(run, "pdf"))
    return redirect("matching:order_pdf_status", pk=run.pk)


@login_required
@require_POST
def order_pdf_build(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask for a long order's PDF: queued unless the stored file or a build under way will do;
    either way its page follows."""
    run = _confirmed_run(request, pk)
    order_document_request(acting_user=request.user, run=run)
    return redirect("matching:order_pdf_status", pk=run.pk)


@login_required
def order_pdf_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The page of a long order's PDF made in the background: polled by HTMX while it is made,
    then the link to download it, or what went wrong, or that the order changed since, with a
    button to make it (again)."""
    run = _confirmed_run(request, pk)
    template = "matching/_order_pdf.html" if request.htmx else "matching/order_pdf.html"
    document = order_document_of(run)
    context = {
        "run": run,
        "program": run.program,
        "document": document,
        "outdated": order_document_outdated(run, document),
    }
    return render(request, template, context)


# --- standing decisions -----------------------------------------------------------------------


def _matching_page(program: Program) -> str:
    return reverse("matching:program_matching", args=[program.pk])


@login_required
@require_POST
def exclusion_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    program = _program(request, pk)
    require_manage_matching(request.user, program)
    form = ExclusionForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.exclusion_add(acting_user=request.user, program=program, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "Пара запрещена: подбор её не предложит.")
    else:
        messages.error(request, form_errors_as_text(form))
    return redirect(_matching_page(program))


@login_required
@require_POST
def exclusion_delete(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    program = _program(request, pk)
    require_manage_matching(request.user, program)
    exclusion = program_exclusions(program).filter(pk=item_pk).first()
    if exclusion is None:
        raise Http404("Запрет не найден")
    services.exclusion_remove(acting_user=request.user, exclusion=exclusion)
    messages.success(request, "Запрет снят.")
    return redirect(_matching_page(program))


@login_required
@require_POST
def fixed_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    program = _program(request, pk)
    require_manage_matching(request.user, program)
    form = FixedPairForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.fixed_pair_add(acting_user=request.user, program=program, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "Пара закреплена: каждый подбор её сохранит.")
    else:
        messages.error(request, form_errors_as_text(form))
    return redirect(_matching_page(program))


@login_required
@require_POST
def fixed_delete(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    program = _program(request, pk)
    require_manage_matching(request.user, program)
    fixed = program_fixed_pairs(program).filter(pk=item_pk).first()
    if fixed is None:
        raise Http404("Закреплённая пара не найдена")
    services.fixed_pair_remove(acting_user=request.user, fixed=fixed)
    messages.success(request, "Закрепление снято.")
    return redirect(_matching_page(program))
