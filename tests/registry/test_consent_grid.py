import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.base.time import local_today
from nastavnik.registry.consents import PURPOSES, consent_state, purpose_codes
from nastavnik.registry.models import Consent, ConsentGiver, ParticipationRole, Person
from nastavnik.registry.services.people import (
    ClassConsentRow,
    ClassConsentsRejected,
    consents_record_for_class,
)
from tests.factories import (
    PersonFactory,
    ProgramFactory,
    TeacherFactory,
    give_consent,
    guardian_for,
    years_ago,
)


def grid_url(school, school_class="7Б"):
    return reverse("registry:consent_grid_class", args=[school.pk, school_class])


def a_class(school, n, *, age=10, letter="Б"):
    children = []
    for i in range(n):
        child = PersonFactory(
            organisation=school,
            last_name=f"Ученик{i:02d}",
            birth_date=years_ago(age),
            grade=7,
            class_letter=letter,
        )
        guardian_for(child)
        children.append(child)
    return children


def post_for(children, signed_on="2026-09-01"):
    data = {"signed_on": signed_on, "purposes": list(PURPOSES)}
    for child in children:
        data[f"p{child.pk}-rep"] = "on"
        data[f"p{child.pk}-rep-by"] = str(child.guardian_links.get().guardian_id)
    return data


class TestTheGrid:
    def test_it_shows_each_person_with_the_state_of_both_consents(
        self, client_for, school_x, school_x_curator
    ):
        child, teen = a_class(school_x, 1)[0], a_class(school_x, 1, age=15)[0]
        give_consent(teen, by=teen.guardian_links.get().guardian, valid_until=dt.date(2027, 8, 31))
        revoked = give_consent(child, by=child.guardian_links.get().guardian)
        revoked.revoked_on = dt.date(2026, 10, 1)
        revoked.save()
        page = client_for(school_x_curator).get(grid_url(school_x)).content.decode()
        assert child.full_name in page and teen.full_name in page
        assert "есть до 31.08.2027" in page  # the teen's representative
        assert "отозвано" in page  # the child's representative
        assert "нужно" in page and "не нужно" in page  # the teen's own; the child's own
        assert "бумажное согласие получено" in page
        assert "Применить ко всем" in page

    def test_a_curator_saves_a_class_of_30_in_one_post_with_a_fixed_number_of_queries(
        self, client_for, school_x, school_x_curator
    ):
        client = client_for(school_x_curator)
        ContentType.objects.get_for_model(Consent)  # the content type cache, filled once per process
        three, thirty = a_class(school_x, 3, letter="А"), a_class(school_x, 30)
        counts = []
        for children, school_class in ((three, "7А"), (thirty, "7Б")):
            data = post_for(children)
            with CaptureQueriesContext(connection) as queries:
                response = client.post(grid_url(school_x, school_class), data)
            assert response.status_code == 302
            counts.append(len(queries))
        assert counts[0] == counts[1] == 13, counts
        consents = Consent.objects.filter(subject__in=thirty)
        assert consents.count() == 30
        today = local_today(school_x)
        assert all(consent_state(child, today).is_valid for child in thirty)
        assert set(purpose_codes(consents.first().purposes)) == set(PURPOSES)

    def test_every_consent_saved_gets_a_readable_audit_entry_naming_the_curator(
        self, client_for, school_x, school_x_curator
    ):
        children = a_class(school_x, 2)
        client_for(school_x_curator).post(grid_url(school_x), post_for(children))
        entries = LogEntry.objects.get_for_model(Consent)
        assert entries.count() == 2
        entry = entries.first()
        assert entry.actor == school_x_curator
        assert entry.changes["given_by"][1] == "Законный представитель"
        assert entry.changes["signed_on"][1] == "01.09.2026"

    def test_a_future_date_and_a_minor_without_a_representative_come_back_per_row_keeping_the_ticks(
        self, client_for, school_x, school_x_curator
    ):
        good, late = a_class(school_x, 2)
        orphan = PersonFactory(organisation=school_x, birth_date=years_ago(9), grade=7, class_letter="Б")
        data = post_for([good, late])
        data[f"p{late.pk}-rep-date"] = (local_today(school_x) + dt.timedelta(days=3)).isoformat()
        data[f"p{orphan.pk}-rep"] = "on"
        response = client_for(school_x_curator).post(grid_url(school_x), data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Дата подписания не может быть в будущем." in page
        assert "В базе нет законного представителя участника" in page
        assert page.count("checked") >= 3 + len(PURPOSES)  # the ticks and purposes are kept
        assert not Consent.objects.exists()  # all or nothing

    def test_another_schools_curator_gets_404_on_the_grid_and_the_forms(
        self, client_for, school_x, school_y_curator
    ):
        a_class(school_x, 1)
        client = client_for(school_y_curator)
        assert client.get(grid_url(school_x)).status_code == 404
        assert client.post(grid_url(school_x), {}).status_code == 404
        for name in ("consents.docx", "consents.pdf", "dissemination.pdf"):
            assert client.get(grid_url(school_x) + name).status_code == 404

    def test_a_specialist_sees_the_grid_but_cannot_save_or_print_the_forms(
        self, client_for, school_x, school_x_specialist
    ):
        children = a_class(school_x, 2)
        client = client_for(school_x_specialist)
        page = client.get(grid_url(school_x)).content.decode()
        assert children[0].full_name in page and "бумажное согласие получено" not in page
        assert client.post(grid_url(school_x), post_for(children)).status_code == 403
        assert client.get(grid_url(school_x) + "consents.pdf").status_code == 403
        assert not Consent.objects.exists()

    def test_the_grid_of_a_program_lists_its_participants(self, client_for, school_x, school_x_curator):
        program = ProgramFactory(organisation=school_x)
        teacher = TeacherFactory(organisation=school_x)
        give_consent(teacher)
        program.participations.create(person=teacher, role=ParticipationRole.MENTOR)
        outsider = TeacherFactory(organisation=school_x, last_name="Посторонний")
        page = client_for(school_x_curator).get(reverse("registry:consent_grid_program", args=[program.pk]))
        assert teacher.full_name in page.content.decode()
        assert outsider.full_name not in page.content.decode()
        assert reverse("registry:consent_grid_program", args=[program.pk]) in (
            client_for(school_x_curator)
            .get(reverse("orgs:program_detail", args=[program.pk]))
            .content.decode()
        )

    def test_the_registry_filtered_by_grade_links_to_each_class_grid(
        self, client_for, school_x, school_x_curator
    ):
        a_class(school_x, 1, letter="А")
        a_class(school_x, 1, letter="Б")
        page = client_for(school_x_curator).get(reverse("registry:person_list") + "?grade=7").content.decode()
        assert grid_url(school_x, "7А") in page and grid_url(school_x, "7Б") in page


class TestTheService:
    def test_a_teen_needs_both_and_a_child_cannot_consent_alone(self, school_x, school_x_curator):
        child = a_class(school_x, 1)[0]
        with pytest.raises(ClassConsentsRejected) as rejected:
            consents_record_for_class(
                acting_user=school_x_curator,
                organisation=school_x,
                rows=[ClassConsentRow(child.pk, ConsentGiver.SELF, dt.date(2026, 9, 1), ("registry",))],
            )
        assert "младше 14 лет" in rejected.value.row_errors[(child.pk, ConsentGiver.SELF)]["given_by"]

    def test_a_person_of_another_organisation_is_refused(self, school_x, school_y, school_x_curator):
        stranger = PersonFactory(organisation=school_y)
        with pytest.raises(Exception, match="не относится"):
            consents_record_for_class(
                acting_user=school_x_curator,
                organisation=school_x,
                rows=[ClassConsentRow(stranger.pk, ConsentGiver.SELF, dt.date(2026, 9, 1), ("registry",))],
            )


class TestPrintableForms:
    def test_the_docx_has_one_form_per_person_with_their_name_in_the_right_variant(
        self, client_for, school_x, school_x_curator
    ):
        import docx

        child, teen = a_class(school_x, 1)[0], a_class(school_x, 1, age=15)[0]
        adult = PersonFactory(
            organisation=school_x, birth_date=years_ago(18, days=10), grade=7, class_letter="Б"
        )
        response = client_for(school_x_curator).get(grid_url(school_x) + "consents.docx")
        assert response.status_code == 200
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
        for person in (child, teen, adult):
            assert person.full_name in text
        assert f"Законный представитель (ФИО): {child.guardian_links.get().guardian.full_name}" in text
        assert "законного представителя на обработку персональных данных несовершеннолетнего" in text
        assert "обучающегося в возрасте от 14 до 18 лет" in text
        assert school_x.name in text and "Порядок отзыва" in text
        assert "разрешённых субъектом персональных данных для распространения" not in text

    def test_the_pdf_and_the_separate_dissemination_consent_contain_each_name(
        self, client_for, school_x, school_x_curator
    ):
        from pypdf import PdfReader

        children = a_class(school_x, 2)
        client = client_for(school_x_curator)
        for name, marker in (
            ("consents.pdf", "Порядок отзыва"),
            ("dissemination.pdf", "для распространения"),
        ):
            response = client.get(grid_url(school_x) + name)
            assert response.status_code == 200
            reader = PdfReader(io.BytesIO(response.content))
            text = " ".join((page.extract_text() or "") for page in reader.pages)
            text = " ".join(text.split())
            assert len(reader.pages) >= 2  # one sheet per person, each on its own page
            for child in children:
                assert child.full_name in text
            assert marker in text

    def test_the_dissemination_docx_is_its_own_document(self, client_for, school_x, school_x_curator):
        import docx

        child = a_class(school_x, 1)[0]
        response = client_for(school_x_curator).get(grid_url(school_x) + "dissemination.docx")
        document = docx.Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "разрешённых субъектом персональных данных для распространения" in text
        assert child.full_name in text and document.tables


def test_the_single_consent_form_records_the_ticked_purposes(client_for, school_x, school_x_curator):
    teacher = TeacherFactory(organisation=school_x)
    response = client_for(school_x_curator).post(
        reverse("registry:consent_add", args=[teacher.pk]),
        {"kind": "processing", "given_by": "self", "signed_on": "2026-09-01", "purposes": ["surveys"]},
    )
    assert response.status_code == 302
    assert purpose_codes(Person.objects.get(pk=teacher.pk).consents.get().purposes) == ["surveys"]
