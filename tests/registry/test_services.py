import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from nastavnik.registry.models import Consent, ConsentGiver, ParticipationRole, Person, PersonKind
from nastavnik.registry.services import people as person_services
from tests.factories import (
    PersonFactory,
    ProgramFactory,
    TeacherFactory,
    give_consent,
    guardian_for,
    years_ago,
)


@pytest.fixture
def program_x(school_x):
    return ProgramFactory(organisation=school_x)


def ten_year_old(school):
    return PersonFactory(organisation=school, birth_date=years_ago(10), grade=4)


class TestParticipationAdd:
    def test_a_minor_without_a_guardians_consent_cannot_be_added_as_mentee(
        self, school_x, school_x_curator, program_x
    ):
        child = ten_year_old(school_x)
        guardian_for(child)
        with pytest.raises(ValidationError, match="нет согласия законного представителя"):
            person_services.participation_add(
                acting_user=school_x_curator, program=program_x, person=child, role=ParticipationRole.MENTEE
            )
        assert not program_x.participations.exists()

    def test_a_minor_with_a_guardians_consent_is_added(self, school_x, school_x_curator, program_x):
        child = ten_year_old(school_x)
        give_consent(child, by=guardian_for(child))
        participation = person_services.participation_add(
            acting_user=school_x_curator, program=program_x, person=child, role=ParticipationRole.MENTEE
        )
        assert participation.status == "candidate"

    def test_a_teen_needs_their_own_consent_as_well(self, school_x, school_x_curator, program_x):
        teen = PersonFactory(organisation=school_x, birth_date=years_ago(15), grade=9)
        give_consent(teen, by=guardian_for(teen))
        with pytest.raises(ValidationError, match="собственного согласия"):
            person_services.participation_add(
                acting_user=school_x_curator, program=program_x, person=teen, role="mentee"
            )

    def test_a_revoked_consent_blocks_participation(self, school_x, school_x_curator, program_x):
        teacher = TeacherFactory(organisation=school_x)
        consent = give_consent(teacher)
        person_services.consent_revoke(
            acting_user=school_x_curator, consent=consent, revoked_on=dt.date(2026, 10, 1)
        )
        with pytest.raises(ValidationError):
            person_services.participation_add(
                acting_user=school_x_curator, program=program_x, person=teacher, role="mentor"
            )

    def test_a_curator_of_another_school_cannot_add(self, school_x, school_y_curator, program_x):
        teacher = TeacherFactory(organisation=school_x)
        give_consent(teacher)
        with pytest.raises(PermissionDenied):
            person_services.participation_add(
                acting_user=school_y_curator, program=program_x, person=teacher, role="mentor"
            )

    def test_a_person_of_another_school_cannot_join_the_program(
        self, school_x, school_y, school_x_curator, program_x
    ):
        teacher = TeacherFactory(organisation=school_y)
        give_consent(teacher)
        with pytest.raises(ValidationError, match="разным организациям"):
            person_services.participation_add(
                acting_user=school_x_curator, program=program_x, person=teacher, role="mentor"
            )

    def test_a_teacher_cannot_be_a_mentee_of_a_students_program(self, school_x, school_x_curator, program_x):
        teacher = TeacherFactory(organisation=school_x)
        give_consent(teacher)
        with pytest.raises(ValidationError, match="только обучающийся"):
            person_services.participation_add(
                acting_user=school_x_curator, program=program_x, person=teacher, role="mentee"
            )

    def test_someone_who_left_cannot_be_added(self, school_x, school_x_curator, program_x):
        teacher = TeacherFactory(organisation=school_x, left_on=dt.date(2026, 10, 1))
        give_consent(teacher)
        with pytest.raises(ValidationError, match="выбыл"):
            person_services.participation_add(
                acting_user=school_x_curator, program=program_x, person=teacher, role="mentor"
            )


class TestConsentRecord:
    def test_a_child_under_14_cannot_consent_alone(self, school_x, school_x_curator):
        child = ten_year_old(school_x)
        with pytest.raises(ValidationError) as error:
            person_services.consent_record(
                acting_user=school_x_curator,
                subject=child,
                given_by=ConsentGiver.SELF,
                signed_on=dt.date(2026, 9, 1),
            )
        assert "младше 14 лет" in str(error.value)

    def test_the_representative_must_be_a_linked_guardian(self, school_x, school_x_curator):
        child = ten_year_old(school_x)
        stranger_parent = PersonFactory(
            organisation=school_x, kind=PersonKind.PARENT, birth_date=None, grade=None, class_letter=""
        )
        with pytest.raises(ValidationError, match="не указан"):
            person_services.consent_record(
                acting_user=school_x_curator,
                subject=child,
                given_by=ConsentGiver.REPRESENTATIVE,
                representative=stranger_parent,
                signed_on=dt.date(2026, 9, 1),
            )

    def test_a_consent_signed_in_the_future_is_refused(self, school_x, school_x_curator):
        teacher = TeacherFactory(organisation=school_x)
        with pytest.raises(ValidationError, match="в будущем"):
            person_services.consent_record(
                acting_user=school_x_curator, subject=teacher, given_by="self", signed_on=dt.date(2099, 1, 1)
            )

    def test_a_recorded_consent_names_who_recorded_it_and_is_audited(self, school_x, school_x_curator):
        child = ten_year_old(school_x)
        parent = guardian_for(child)
        consent = person_services.consent_record(
            acting_user=school_x_curator,
            subject=child,
            given_by=ConsentGiver.REPRESENTATIVE,
            representative=parent,
            signed_on=dt.date(2026, 9, 1),
        )
        assert consent.recorded_by == school_x_curator
        entry = LogEntry.objects.get_for_object(consent).get()
        assert entry.actor == school_x_curator

    def test_revoking_twice_is_refused(self, school_x, school_x_curator):
        consent = give_consent(TeacherFactory(organisation=school_x))
        person_services.consent_revoke(
            acting_user=school_x_curator, consent=consent, revoked_on=dt.date(2026, 10, 1)
        )
        with pytest.raises(ValidationError, match="уже отозвано"):
            person_services.consent_revoke(
                acting_user=school_x_curator, consent=consent, revoked_on=dt.date(2026, 10, 2)
            )
        assert Consent.objects.get(pk=consent.pk).revoked_on == dt.date(2026, 10, 1)


class TestPersonServices:
    def test_create_validates_and_normalises(self, school_x, school_x_curator):
        person = person_services.person_create(
            acting_user=school_x_curator,
            organisation=school_x,
            kind=PersonKind.STUDENT,
            last_name="  Иванова ",
            first_name="Анна",
            birth_date=years_ago(13),
            grade=7,
            class_letter="б",
        )
        assert person.last_name == "Иванова"
        assert person.school_class == "7Б"

    def test_a_student_needs_a_birth_date(self, school_x, school_x_curator):
        with pytest.raises(ValidationError) as error:
            person_services.person_create(
                acting_user=school_x_curator,
                organisation=school_x,
                kind=PersonKind.STUDENT,
                last_name="Иванова",
                first_name="Анна",
            )
        assert "birth_date" in error.value.error_dict
        assert not Person.objects.exists()

    def test_update_is_audited_with_the_changed_fields(self, school_x, school_x_curator):
        teacher = TeacherFactory(organisation=school_x, position="Учитель")
        person_services.person_update(
            acting_user=school_x_curator, person=teacher, position="Заместитель директора"
        )
        entry = LogEntry.objects.get_for_object(teacher).filter(action=LogEntry.Action.UPDATE).get()
        assert entry.actor == school_x_curator
        assert entry.changes_dict["position"] == ["Учитель", "Заместитель директора"]

    def test_a_municipal_curator_reads_but_does_not_edit(self, school_x, municipal_curator_a):
        teacher = TeacherFactory(organisation=school_x)
        with pytest.raises(PermissionDenied):
            person_services.person_update(
                acting_user=municipal_curator_a, person=teacher, position="Директор"
            )

    def test_a_guardian_must_belong_to_the_same_organisation(self, school_x, school_y, school_x_curator):
        child = ten_year_old(school_x)
        parent = PersonFactory(
            organisation=school_y, kind=PersonKind.PARENT, birth_date=None, grade=None, class_letter=""
        )
        with pytest.raises(ValidationError, match="той же организации"):
            person_services.guardian_link_add(acting_user=school_x_curator, child=child, guardian=parent)


def test_experience_is_dated_and_only_a_new_value_moves_the_date(school_x, school_x_curator):
    from nastavnik.base.time import local_today
    from tests.factories import TeacherFactory

    teacher = TeacherFactory(organisation=school_x, experience_years=5, experience_on=dt.date(2024, 9, 1))
    today = local_today()
    shown = teacher.experience_today  # what the edit form shows today: more than 5 by now
    assert shown == teacher.experience_at(today) and shown >= 7
    person_services.person_update(acting_user=school_x_curator, person=teacher, experience_years=shown)
    teacher.refresh_from_db()
    assert (teacher.experience_years, teacher.experience_on) == (5, dt.date(2024, 9, 1))  # untouched
    person_services.person_update(acting_user=school_x_curator, person=teacher, experience_years=2)
    teacher.refresh_from_db()
    assert (teacher.experience_years, teacher.experience_on, teacher.experience_today) == (2, today, 2)
