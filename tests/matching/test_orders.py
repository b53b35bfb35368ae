"""A long order's PDF is made in the background (the immediate task backend in tests): above
`ORDER_PDF_BACKGROUND_PAIRS` asking for it (a POST) queues one build a run, its page waits for
it and survives a reload, the file lies in private storage and is handed out through the access
layer while it holds what the order says now (a download, a GET, never queues anything); a short
order still comes at once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from nastavnik.base.history import FieldChange, display_name, history_lines
from nastavnik.matching import orders, services
from nastavnik.matching.models import Method, OrderDocument, OrderDocumentStatus
from nastavnik.matching.orders import BUILD_ERROR, order_document_build
from nastavnik.registry.models import Person
from nastavnik.registry.services.erasure import person_erase
from tests.builders import builtin_form, mentee, mentor, student_program

pytestmark = pytest.mark.django_db

MATH = ("Повышение успеваемости по математике",)


@pytest.fixture(autouse=True)
def _short_threshold(settings):
    settings.ORDER_PDF_BACKGROUND_PAIRS = 2


def confirmed_run(school, curator, pairs: int):
    """A confirmed run of `pairs` pairs (each mentor takes one mentee)."""
    program = student_program(school)
    for _ in range(pairs):
        mentee(program, tags=MATH)
        mentor(program, tags=("Математика",), capacity=1)
    run = services.matching_run_start(
        acting_user=curator, program=program, form=builtin_form("student-student")
    )
    services.matching_run_confirm(
        acting_user=curator, run=run, proposal=run.proposals.get(method=Method.OPTIMAL), order_number="7"
    )
    assert run.confirmed_memberships.count() == pairs
    return run


@pytest.fixture
def long_run(school_x, school_x_curator):
    return confirmed_run(school_x, school_x_curator, 3)


def pdf_url(run) -> str:
    return reverse("matching:order_pdf", args=[run.pk])


def status_url(run) -> str:
    return reverse("matching:order_pdf_status", args=[run.pk])


def build_url(run) -> str:
    return reverse("matching:order_pdf_build", args=[run.pk])


def ask_for_pdf(client, run, capture, *, execute: bool = True):
    with capture(execute=execute) as callbacks:  # the task is queued once the build is committed
        response = client.post(build_url(run))
    return response, callbacks


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_a_long_order_is_built_in_the_background_into_a_private_file(
    long_run, school_x_curator, client_for, django_capture_on_commit_callbacks, settings
):
    client = client_for(school_x_curator)
    response, _ = ask_for_pdf(client, long_run, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == status_url(long_run)
    document = OrderDocument.objects.get(run=long_run)
    assert (document.status, document.pairs, document.attempt) == (OrderDocumentStatus.DONE, 3, 1)
    stored = settings.PRIVATE_FILE_ROOT / document.file.name
    assert document.file.name.startswith("orders/") and stored.read_bytes().startswith(b"%PDF")
    assert not (settings.MEDIA_ROOT / "orders").exists()

    page = client.get(status_url(long_run)).content.decode()
    assert "<b>Приказ готов</b>: 3\u00a0пары" in page and "Скачать приказ (PDF)" in page
    assert "hx-trigger" not in page  # finished: no more polling

    served = client.get(pdf_url(long_run))
    assert served["Content-Type"] == "application/pdf" and served["Cache-Control"] == "private, no-store"
    assert f"prikaz-pary-{long_run.program_id}-{long_run.pk}.pdf" in served["Content-Disposition"]
    content = body(served)
    assert content == stored.read_bytes()
    mentor_name = long_run.confirmed_memberships.first().group.mentor.person.full_name
    assert mentor_name in pdf_text(content)
    assert OrderDocument.objects.get().attempt == 1  # the stored file was served, not made again


def test_a_municipal_curator_who_sees_the_run_gets_the_file_too(
    long_run, municipal_curator_a, client_for, django_capture_on_commit_callbacks
):
    client = client_for(municipal_curator_a)
    ask_for_pdf(client, long_run, django_capture_on_commit_callbacks)
    served = client.get(pdf_url(long_run))
    assert served["Content-Type"] == "application/pdf" and body(served).startswith(b"%PDF")


def test_a_user_of_another_school_gets_404_for_the_page_and_the_file(
    long_run, school_x_curator, school_y_curator, client_for, django_capture_on_commit_callbacks
):
    ask_for_pdf(client_for(school_x_curator), long_run, django_capture_on_commit_callbacks)
    stranger = client_for(school_y_curator)
    assert stranger.get(pdf_url(long_run)).status_code == 404
    assert stranger.get(status_url(long_run)).status_code == 404
    assert stranger.get(status_url(long_run), headers={"HX-Request": "true"}).status_code == 404
    assert OrderDocument.objects.get().attempt == 1


def test_a_short_order_still_comes_at_once(school_x, school_x_curator, client_for):
    run = confirmed_run(school_x, school_x_curator, 2)
    response = client_for(school_x_curator).get(pdf_url(run))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert not OrderDocument.objects.exists()
    board = client_for(school_x_curator).get(reverse("matching:run_detail", args=[run.pk])).content.decode()
    assert f'href="{pdf_url(run)}" download>' in board and "PDF формируется на сервере" not in board


def test_the_board_links_a_long_order_to_its_page_not_to_a_download(long_run, school_x_curator, client_for):
    board = client_for(school_x_curator).get(reverse("matching:run_detail", args=[long_run.pk]))
    html = board.content.decode()
    assert f'<form method="post" action="{build_url(long_run)}" class="inline-form">' in html
    assert f'href="{pdf_url(long_run)}"' not in html  # asking for it is a POST, not a link
    assert "Приказ длинный: PDF формируется на сервере" in html


def test_a_second_request_shows_the_build_of_the_first(
    long_run, school_x_curator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(school_x_curator)
    _, first = ask_for_pdf(client, long_run, django_capture_on_commit_callbacks, execute=False)
    response, second = ask_for_pdf(client, long_run, django_capture_on_commit_callbacks, execute=False)

    assert response.status_code == 302 and response["Location"] == status_url(long_run)
    assert len(first) == 1 and second == []  # one task queued
    document = OrderDocument.objects.get()
    assert (document.status, document.attempt) == (OrderDocumentStatus.QUEUED, 1)
    # A reload (another client of the same user) shows the build waited for, and polls it.
    for reader in (client, client_for(school_x_curator)):
        page = reader.get(status_url(long_run)).content.decode()
        assert "<b>Приказ готовится</b> (в очереди)" in page and "3\u00a0пары" in page
        assert f'hx-get="{status_url(long_run)}" hx-trigger="every 2s"' in page
    fragment = client.get(status_url(long_run), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="order-pdf"') and "<html" not in fragment

    order_document_build(document.pk, document.attempt)  # the task runner gets to it
    order_document_build(document.pk, document.attempt)  # a retried task does nothing more
    fragment = client.get(status_url(long_run), headers={"HX-Request": "true"}).content.decode()
    assert "<b>Приказ готов</b>" in fragment and "hx-trigger" not in fragment
    assert OrderDocument.objects.get().status == OrderDocumentStatus.DONE


def test_a_failing_build_says_so_in_russian_and_may_be_tried_again(
    long_run, school_x_curator, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(data):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(orders, "order_pdf", broken)
    client = client_for(school_x_curator)
    response, _ = ask_for_pdf(client, long_run, django_capture_on_commit_callbacks)

    document = OrderDocument.objects.get()
    assert (document.status, document.error, document.file.name) == (
        OrderDocumentStatus.FAILED,
        BUILD_ERROR,
        "",
    )
    page = client.get(response["Location"]).content.decode()
    assert "<b>Не удалось сформировать приказ.</b>" in page and BUILD_ERROR in page
    assert f'<form method="post" action="{build_url(long_run)}" class="inline-form">' in page
    assert "Попробовать ещё раз</button>" in page and "hx-trigger" not in page

    monkeypatch.undo()
    ask_for_pdf(client, long_run, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert (document.status, document.attempt, document.error) == (OrderDocumentStatus.DONE, 2, "")


def test_the_request_is_audited_in_russian(
    long_run, school_x_curator, client_for, django_capture_on_commit_callbacks
):
    ask_for_pdf(client_for(school_x_curator), long_run, django_capture_on_commit_callbacks)
    document = OrderDocument.objects.get()
    entry = LogEntry.objects.get_for_object(document).select_related("content_type", "actor").get()
    assert entry.actor == school_x_curator and entry.action == LogEntry.Action.CREATE
    assert entry.changes_text == (
        f"Поставлено в очередь формирование PDF приказа о закреплении пар по подбору № {long_run.pk} "
        "(3\u00a0пары): запрошен впервые."
    )
    (line,) = history_lines([entry], zone="Europe/Moscow")
    assert (line.action, line.subject) == (
        "создан",
        f"файл приказа о закреплении пар (PDF) по подбору № {long_run.pk}",
    )
    assert FieldChange("состояние", "—", "В очереди") in line.changes
    assert FieldChange("кто запросил", "—", display_name(school_x_curator)) in line.changes


def test_a_stored_file_is_made_again_once_the_orders_data_change(
    long_run, school_x_curator, client_for, django_capture_on_commit_callbacks, settings
):
    client = client_for(school_x_curator)
    ask_for_pdf(client, long_run, django_capture_on_commit_callbacks)
    old = settings.PRIVATE_FILE_ROOT / OrderDocument.objects.get().file.name
    person = long_run.confirmed_memberships.first().mentee.person
    Person.objects.filter(pk=person.pk).update(last_name="Переименованная")

    # The download no longer hands the file out, and queues nothing: its page says why.
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.get(pdf_url(long_run))
    assert response.status_code == 302 and response["Location"] == status_url(long_run) and queued == []
    assert OrderDocument.objects.get().attempt == 1
    page = client.get(status_url(long_run)).content.decode()
    assert "<b>PDF нужно сформировать заново</b>: данные приказа изменились после прежнего файла" in page
    assert f'action="{build_url(long_run)}"' in page and "Скачать приказ (PDF)" not in page

    response, _ = ask_for_pdf(client, long_run, django_capture_on_commit_callbacks)
    assert response["Location"] == status_url(long_run)
    document = OrderDocument.objects.get()
    assert (document.status, document.attempt) == (OrderDocumentStatus.DONE, 2)
    assert not old.exists()  # out of date, and it named the person as they no longer are
    served = client.get(pdf_url(long_run))
    assert "Переименованная" in pdf_text(body(served))
    entry = LogEntry.objects.get_for_object(document).latest("pk")
    assert entry.changes_text.endswith(": данные приказа изменились после прежнего файла.")


def test_a_download_never_queues_a_build_and_asking_needs_a_post(
    long_run, school_x_curator, client_for, django_capture_on_commit_callbacks
):
    """A GET changes nothing (a prefetch, a link on another site): before anything is stored the
    download leads to the page, which offers the build as a form."""
    client = client_for(school_x_curator)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.get(pdf_url(long_run))
    assert response["Location"] == status_url(long_run) and queued == []
    assert (
        not OrderDocument.objects.exists()
        and not LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(OrderDocument)
        ).exists()
    )
    page = client.get(status_url(long_run)).content.decode()
    assert "PDF этого приказа ещё не формировали" in page
    assert f'<form method="post" action="{build_url(long_run)}" class="inline-form">' in page
    assert client.get(build_url(long_run)).status_code == 405
    assert not OrderDocument.objects.exists()


def test_a_stalled_build_is_shown_as_failed_and_made_again_on_request(
    long_run, school_x_curator, client_for, django_capture_on_commit_callbacks
):
    now = timezone.now()
    document = OrderDocument.objects.create(
        run=long_run,
        status=OrderDocumentStatus.BUILDING,
        attempt=1,
        pairs=3,
        created_by=school_x_curator,
        requested_at=now - dt.timedelta(minutes=20),  # it waited in the queue…
        started_at=now - dt.timedelta(minutes=2),  # …and is being made
    )
    client = client_for(school_x_curator)
    assert "<b>Приказ готовится</b> (формируется)" in client.get(status_url(long_run)).content.decode()

    OrderDocument.objects.update(started_at=now - dt.timedelta(minutes=16))  # ORDER_PDF_STALLED_MINUTES: 15
    page = client.get(status_url(long_run)).content.decode()
    assert "Формирование затянулось дольше обычного" in page and "hx-trigger" not in page
    ask_for_pdf(client, long_run, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert (document.status, document.attempt) == (OrderDocumentStatus.DONE, 2)
    order_document_build(document.pk, 1)  # the stalled task, woken up, leaves the row alone
    assert OrderDocument.objects.get().attempt == 2
    entry = LogEntry.objects.get_for_object(document).get()
    assert entry.changes_text.endswith(": прежнее формирование не закончилось за 15\u00a0минут.")


def test_a_build_overtaken_by_a_newer_one_keeps_no_file(
    long_run, school_x_curator, client_for, django_capture_on_commit_callbacks, monkeypatch, settings
):
    build = orders.order_pdf

    def overtaken(data):
        # While this build lays out, the curator asks again after it was taken as stalled.
        OrderDocument.objects.update(attempt=F("attempt") + 1, status=OrderDocumentStatus.QUEUED)
        return build(data)

    monkeypatch.setattr(orders, "order_pdf", overtaken)
    ask_for_pdf(client_for(school_x_curator), long_run, django_capture_on_commit_callbacks)

    document = OrderDocument.objects.get()
    assert (document.status, document.attempt, document.file.name) == (OrderDocumentStatus.QUEUED, 2, "")
    assert not any((settings.PRIVATE_FILE_ROOT / "orders").iterdir())


def test_erasing_a_person_deletes_the_stored_pdf_that_names_them(
    long_run, school_x_curator, school_x_admin, client_for, django_capture_on_commit_callbacks, settings
):
    ask_for_pdf(client_for(school_x_curator), long_run, django_capture_on_commit_callbacks)
    stored = settings.PRIVATE_FILE_ROOT / OrderDocument.objects.get().file.name
    person = long_run.confirmed_memberships.first().mentee.person
    person_erase(acting_user=school_x_admin, person=person, reason="Отзыв согласия")
    assert not stored.exists() and not OrderDocument.objects.exists()


def test_the_queries_of_the_page_and_the_download_do_not_grow_with_pairs(
    school_x, school_x_curator, client_for, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client = client_for(school_x_curator)
    ContentType.objects.get_for_model(OrderDocument)  # cached by Django after its first use
    for pairs in (3, 6):
        run = confirmed_run(school_x, school_x_curator, pairs)
        # session, user, roles, run, permission, document, order's data; then a transaction (a
        # savepoint in tests): run locked, document, full_clean (3), insert, audit
        with django_assert_num_queries(16):
            ask_for_pdf(client, run, django_capture_on_commit_callbacks, execute=False)
        with django_assert_num_queries(5):  # session, user, roles, run, document with its author
            client.get(status_url(run))
        with django_assert_num_queries(5):
            client.get(status_url(run), headers={"HX-Request": "true"})
        order_document_build(OrderDocument.objects.get(run=run).pk, 1)
        # session, user, roles, run, pair count, document, the order's data compared: the file
        with django_assert_num_queries(7):
            assert body(client.get(pdf_url(run))).startswith(b"%PDF")
        with django_assert_num_queries(6):  # the page of a stored file compares the order's data
            client.get(status_url(run))
