"""The respondent's personal link: no account needed, only their own answers, clear pages for
expired, altered and guessed links, answers saved per question before the form is submitted."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from nastavnik.base.time import today_in
from nastavnik.registry.models import Consent
from nastavnik.surveys.models import Answer, Campaign, ResponseLink, ResponseStatus
from nastavnik.surveys.services import links as link_services
from nastavnik.surveys.services import responses as response_services
from tests.surveys.conftest import response_of, student


@pytest.fixture(autouse=True)
def _clear_rate_limit(db):
    cache.clear()
    yield
    cache.clear()


def url(token):
    return reverse("surveys_public:respond", args=[token])


def autosave_url(token, question):
    return reverse("surveys_public:autosave", args=[token, question.pk])


@pytest.fixture
def entry(copy_template, open_campaign, school_x):
    """The mentee entry questionnaire sent to two students of school X."""
    questionnaire = copy_template("mentee_entry")
    anna, boris = student(school_x, first_name="Анна"), student(school_x, first_name="Борис")
    campaign, tokens = open_campaign(questionnaire, [anna, boris])
    return questionnaire, campaign, anna, boris, tokens


def q(questionnaire, code):
    return questionnaire.questions.get(code=code)


class TestTheLink:
    def test_only_a_hash_of_the_token_is_stored(self, entry):
        _, _, anna, _, tokens = entry
        assert not ResponseLink.objects.filter(token_hash=tokens[anna.pk]).exists()
        assert ResponseLink.objects.filter(token_hash=link_services.hash_token(tokens[anna.pk])).exists()
        assert len(tokens[anna.pk]) >= 40

    def test_a_link_opens_the_questionnaire_without_an_account(self, client, entry):
        questionnaire, _, anna, _, tokens = entry
        response = client.get(url(tokens[anna.pk]))
        page = response.content.decode()
        assert response.status_code == 200
        assert questionnaire.title in page and anna.full_name in page
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "same-origin"

    def test_a_link_never_shows_another_respondents_answers(self, client, entry):
        questionnaire, campaign, anna, boris, tokens = entry
        details = q(questionnaire, "mentee_difficulties_text")
        response_services.answer_save(
            response=response_of(campaign, anna), question=details, raw=["Секрет Анны"]
        )
        response_services.answer_save(
            response=response_of(campaign, boris), question=details, raw=["Секрет Бориса"]
        )
        anna_page = client.get(url(tokens[anna.pk])).content.decode()
        boris_page = client.get(url(tokens[boris.pk])).content.decode()
        assert (
            "Секрет Анны" in anna_page
            and "Секрет Бориса" not in anna_page
            and boris.full_name not in anna_page
        )
        assert "Секрет Бориса" in boris_page and "Секрет Анны" not in boris_page

    def test_a_link_cannot_write_into_another_respondents_questionnaire(self, client, entry):
        questionnaire, campaign, anna, boris, tokens = entry
        fmt = q(questionnaire, "mentee_format")
        client.post(autosave_url(tokens[anna.pk], fmt), {f"q{fmt.pk}": "group"})
        assert Answer.objects.filter(response=response_of(campaign, anna)).count() == 1
        assert not Answer.objects.filter(response=response_of(campaign, boris)).exists()

    def test_an_altered_link_gives_a_clear_russian_page(self, client, entry):
        _, _, anna, _, tokens = entry
        token = tokens[anna.pk]
        altered = token[:-1] + ("A" if token[-1] != "A" else "B")
        response = client.get(url(altered))
        assert response.status_code == 404
        page = response.content.decode()
        assert "Ссылка недействительна" in page and "Traceback" not in page

    def test_an_expired_link_gives_a_clear_russian_page(self, client, entry):
        _, campaign, anna, _, tokens = entry
        Campaign.objects.filter(pk=campaign.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
        response = client.get(url(tokens[anna.pk]))
        assert response.status_code == 410
        assert "Срок заполнения анкеты истёк" in response.content.decode()

    def test_an_expired_link_does_not_save_answers(self, client, entry):
        questionnaire, campaign, anna, _, tokens = entry
        Campaign.objects.filter(pk=campaign.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
        question = q(questionnaire, "mentee_format")
        response = client.post(autosave_url(tokens[anna.pk], question), {f"q{question.pk}": "group"})
        assert response.status_code == 410
        assert not Answer.objects.exists()

    def test_a_revoked_consent_closes_the_link(self, client, entry):
        _, _, anna, _, tokens = entry
        Consent.objects.filter(subject=anna).update(revoked_on=today_in() - dt.timedelta(days=1))
        response = client.get(url(tokens[anna.pk]))
        assert response.status_code == 403
        assert "Анкета сейчас недоступна" in response.content.decode()


class TestLinkGuessing:
    def test_after_too_many_bad_tokens_the_address_is_refused_links_that_start_alike(
        self, client, entry, settings
    ):
        settings.SURVEY_LINK_FAILURE_LIMIT = 5
        _, _, anna, _, tokens = entry
        for i in range(5):
            assert client.get(url(f"{tokens[anna.pk][:4]}guess-{i}")).status_code == 404
        blocked = client.get(url(f"{tokens[anna.pk][:4]}guess-6"))
        assert blocked.status_code == 429
        assert "Слишком много неверных ссылок" in blocked.content.decode()
        assert int(blocked["Retry-After"]) > 0
        # Even the valid link that starts so is refused from that address until the window ends.
        assert client.get(url(tokens[anna.pk])).status_code == 429

    def test_guessing_one_link_does_not_block_the_others_from_the_same_address(self, client, entry, settings):
        settings.SURVEY_LINK_FAILURE_LIMIT = 3
        _, _, anna, _, tokens = entry
        for i in range(4):
            client.get(url(f"zzzz-bad-{i}"))
        assert client.get(url("zzzz-bad-5")).status_code == 429
        assert client.get(url(tokens[anna.pk])).status_code == 200

    def test_guessing_at_random_meets_the_limit_of_the_whole_address(self, client, entry, settings):
        settings.SURVEY_LINK_FAILURE_LIMIT = 3
        settings.SURVEY_LINK_ADDRESS_FAILURE_LIMIT = 6
        _, _, anna, _, tokens = entry
        for i in range(6):
            assert client.get(url(f"{i:04d}-random")).status_code == 404
        assert client.get(url(tokens[anna.pk])).status_code == 429

    def test_the_limit_is_per_address(self, client, entry, settings):
        settings.SURVEY_LINK_FAILURE_LIMIT = 3
        _, _, anna, _, tokens = entry
        for i in range(4):
            client.get(url(f"{tokens[anna.pk][:4]}bad-{i}"), REMOTE_ADDR="10.0.0.1")
        assert client.get(url(tokens[anna.pk]), REMOTE_ADDR="10.0.0.1").status_code == 429
        assert client.get(url(tokens[anna.pk]), REMOTE_ADDR="10.0.0.2").status_code == 200

    def test_behind_a_trusted_proxy_one_client_does_not_lock_out_the_others(self, client, entry, settings):
        settings.SURVEY_LINK_FAILURE_LIMIT = 3
        settings.TRUSTED_PROXIES = ["127.0.0.1"]
        _, _, anna, _, tokens = entry
        prefix = tokens[anna.pk][:4]
        proxied = {"REMOTE_ADDR": "127.0.0.1"}
        for i in range(4):
            client.get(url(f"{prefix}bad-{i}"), HTTP_X_FORWARDED_FOR="203.0.113.7", **proxied)
        assert (
            client.get(url(tokens[anna.pk]), HTTP_X_FORWARDED_FOR="203.0.113.7", **proxied).status_code == 429
        )
        assert (
            client.get(url(tokens[anna.pk]), HTTP_X_FORWARDED_FOR="198.51.100.2", **proxied).status_code
            == 200
        )

    def test_a_forwarded_address_is_ignored_unless_the_proxy_is_trusted(self, client, entry, settings):
        settings.SURVEY_LINK_FAILURE_LIMIT = 3
        settings.TRUSTED_PROXIES = ["127.0.0.1"]
        _, _, anna, _, tokens = entry
        prefix = tokens[anna.pk][:4]
        for i in range(4):
            # A client speaking directly cannot escape the limit by inventing a new address.
            client.get(url(f"{prefix}bad-{i}"), REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        assert client.get(url(tokens[anna.pk]), REMOTE_ADDR="10.0.0.9").status_code == 429

    def test_valid_links_do_not_count_as_failures(self, client, entry, settings):
        settings.SURVEY_LINK_FAILURE_LIMIT = 2
        _, _, anna, _, tokens = entry
        for _ in range(5):
            assert client.get(url(tokens[anna.pk])).status_code == 200


class TestSavingAsYouGo:
    def test_answers_posted_one_by_one_are_kept_before_submit(self, client, entry):
        """A lost connection mid-form loses nothing already answered."""
        questionnaire, campaign, anna, _, tokens = entry
        token = tokens[anna.pk]
        goals, fmt, motivation = (
            q(questionnaire, c) for c in ("mentee_goals", "mentee_format", "mentee_motivation")
        )
        first = client.post(
            autosave_url(token, goals), {f"q{goals.pk}": ["study", "career"]}, headers={"HX-Request": "true"}
        )
        assert first.status_code == 200 and "Сохранено" in first.content.decode()
        client.post(autosave_url(token, fmt), {f"q{fmt.pk}": "online"}, headers={"HX-Request": "true"})
        client.post(
            autosave_url(token, motivation), {f"q{motivation.pk}": "4"}, headers={"HX-Request": "true"}
        )
        # ... the connection is lost here: the form is never submitted.
        response = response_of(campaign, anna)
        assert response.status == ResponseStatus.IN_PROGRESS
        saved = dict(Answer.objects.filter(response=response).values_list("question__code", "value"))
        assert saved == {
            "mentee_goals": ["study", "career"],
            "mentee_format": "online",
            "mentee_motivation": 4,
        }
        assert Answer.objects.get(response=response, question=motivation).number == 4
        # Opening the link again shows the saved answers.
        page = client.get(url(token)).content.decode()
        assert 'value="online" checked' in page

    def test_an_invalid_value_is_refused_with_a_message_and_nothing_saved(self, client, entry):
        questionnaire, _, anna, _, tokens = entry
        motivation = q(questionnaire, "mentee_motivation")
        response = client.post(autosave_url(tokens[anna.pk], motivation), {f"q{motivation.pk}": "9"})
        assert "Поставьте оценку от 1 до 5" in response.content.decode()
        assert not Answer.objects.exists()

    def test_clearing_an_answer_deletes_it(self, client, entry):
        questionnaire, campaign, anna, _, tokens = entry
        goals = q(questionnaire, "mentee_goals")
        client.post(autosave_url(tokens[anna.pk], goals), {f"q{goals.pk}": ["study"]})
        client.post(autosave_url(tokens[anna.pk], goals), {})
        assert not Answer.objects.filter(response=response_of(campaign, anna)).exists()

    def test_answering_a_condition_reveals_the_dependent_question(self, client, entry):
        questionnaire, _, anna, _, tokens = entry
        goals, other = q(questionnaire, "mentee_goals"), q(questionnaire, "mentee_goals_other")
        assert f'id="q-{other.pk}" hidden' in client.get(url(tokens[anna.pk])).content.decode()
        fragment = client.post(
            autosave_url(tokens[anna.pk], goals), {f"q{goals.pk}": ["other"]}
        ).content.decode()
        assert f'id="q-{other.pk}"' in fragment and 'hx-swap-oob="outerHTML"' in fragment
        assert f'id="q-{other.pk}" hidden' not in fragment


class TestSubmitting:
    def test_required_questions_must_be_answered(self, client, entry):
        questionnaire, campaign, anna, _, tokens = entry
        response = client.post(url(tokens[anna.pk]), {"action": "submit"})
        assert response.status_code == 400
        assert "Это обязательный вопрос." in response.content.decode()
        assert response_of(campaign, anna).status != ResponseStatus.SUBMITTED

    def test_a_complete_form_is_submitted_and_can_be_changed_until_the_deadline(self, client, entry):
        questionnaire, campaign, anna, _, tokens = entry
        goals, who = q(questionnaire, "mentee_goals"), q(questionnaire, "mentee_preferred_mentor")
        data = {"action": "submit", f"q{goals.pk}": ["exams"], f"q{who.pk}": "teacher"}
        response = client.post(url(tokens[anna.pk]), data, follow=True)
        assert "Спасибо! Анкета отправлена" in response.content.decode()
        assert response_of(campaign, anna).status == ResponseStatus.SUBMITTED
        client.post(url(tokens[anna.pk]), {**data, f"q{who.pk}": "student"})
        assert Answer.objects.get(response=response_of(campaign, anna), question=who).value == "student"

    def test_answers_to_questions_hidden_by_a_condition_are_not_kept(self, client, entry):
        questionnaire, campaign, anna, _, tokens = entry
        goals, who, other = (
            q(questionnaire, c) for c in ("mentee_goals", "mentee_preferred_mentor", "mentee_goals_other")
        )
        client.post(autosave_url(tokens[anna.pk], goals), {f"q{goals.pk}": ["other"]})
        client.post(autosave_url(tokens[anna.pk], other), {f"q{other.pk}": "Шахматы"})
        client.post(
            url(tokens[anna.pk]),
            {"action": "submit", f"q{goals.pk}": ["study"], f"q{who.pk}": "any", f"q{other.pk}": "Шахматы"},
        )
        codes = set(
            Answer.objects.filter(response=response_of(campaign, anna)).values_list(
                "question__code", flat=True
            )
        )
        assert codes == {"mentee_goals", "mentee_preferred_mentor"}

    def test_tags_are_stored_as_tag_ids_from_the_vocabulary_only(self, client, entry):
        from nastavnik.registry.models import Tag

        questionnaire, campaign, anna, _, tokens = entry
        interest = Tag.objects.create(vocabulary="interest", name="Робототехника")
        subject = Tag.objects.create(vocabulary="subject", name="Физика")
        interests = q(questionnaire, "mentee_interests")
        refused = client.post(autosave_url(tokens[anna.pk], interests), {f"q{interests.pk}": [subject.pk]})
        assert "Выберите значения из списка" in refused.content.decode()
        client.post(autosave_url(tokens[anna.pk], interests), {f"q{interests.pk}": [interest.pk]})
        assert Answer.objects.get(question=interests).value == [interest.pk]
