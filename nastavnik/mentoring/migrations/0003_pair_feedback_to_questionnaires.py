"""The participants' feedback on their pair becomes satisfaction questionnaires: each
`PairFeedback` row is turned into a submitted `surveys.Response` of the program's in-app campaign
of the built-in satisfaction template for the respondent's role, with one `Answer` per item, so
that stage 1 of monitoring counts it (see nastavnik/surveys/pair_feedback.py). The next migration
removes the table.

Feedback field → question code of the built-in templates (both roles have every one):
the six 1–10 ratings → sat_expected, sat_real, sat_comfort, sat_meetings, sat_clarity,
sat_support; «рад(а) участвовать» / «хочу продолжить» → sat_glad / sat_continue ("yes"/"no");
the free comment → sat_comment (added to the templates by surveys 0004).

The response keeps the pair, the stage and the time of the feedback; `entered_by` is set when
someone other than the respondent filled it (a curator entering a paper questionnaire).

Backwards, the in-app responses that answer every item become feedback rows again; all in-app
responses and campaigns are then deleted (a response with items the old table cannot hold is lost).

The satisfaction templates are normally there (surveys 0002 installs them); should one be missing,
it is installed from the frozen copy below (the templates as surveys 0002 and 0004 leave them),
never from the live nastavnik/surveys/builtin.py.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

RATINGS = {
    "expected_effectiveness": "sat_expected",
    "real_effectiveness": "sat_real",
    "comfort": "sat_comfort",
    "usefulness": "sat_meetings",
    "clarity": "sat_clarity",
    "support": "sat_support",
}
YES_NO = {"glad_to_take_part": "sat_glad", "want_to_continue": "sat_continue"}
COMMENT = "sat_comment"
TEMPLATE_OF_ROLE = {"mentee": "satisfaction_mentee", "mentor": "satisfaction_mentor"}
SUBMITTED = "submitted"

SATISFACTION_TEMPLATES = [
    {
        "code": "satisfaction_mentee",
        "kind": "satisfaction_mentee",
        "title": "Анкета удовлетворённости наставляемого",
        "description": "Программа наставничества подходит к концу. Оцените, пожалуйста, как она прошла "
        "для вас. 1 — совсем нет, 10 — полностью да.",
        "sections": [
            {
                "title": "Оценки",
                "questions": [
                    {
                        "code": "sat_expected",
                        "kind": "scale10",
                        "text": "Насколько эффективной вы ожидали программу до её начала?",
                        "required": True,
                    },
                    {
                        "code": "sat_real",
                        "kind": "scale10",
                        "text": "Насколько эффективной программа оказалась на деле?",
                        "required": True,
                    },
                    {
                        "code": "sat_comfort",
                        "kind": "scale10",
                        "text": "Насколько комфортно было общаться с наставником?",
                        "required": True,
                    },
                    {
                        "code": "sat_meetings",
                        "kind": "scale10",
                        "text": "Насколько полезными были встречи с наставником?",
                        "required": True,
                    },
                    {
                        "code": "sat_clarity",
                        "kind": "scale10",
                        "text": "Насколько понятны были задачи и план работы?",
                        "required": True,
                    },
                    {
                        "code": "sat_support",
                        "kind": "scale10",
                        "text": "Насколько вы чувствовали поддержку наставника, когда она была нужна?",
                        "required": True,
                    },
                ],
            },
            {
                "title": "Итоги",
                "questions": [
                    {
                        "code": "sat_glad",
                        "kind": "single",
                        "text": "Рады ли вы, что участвовали в программе?",
                        "required": True,
                        "choices": [("yes", "Да"), ("no", "Нет")],
                    },
                    {
                        "code": "sat_continue",
                        "kind": "single",
                        "text": "Хотели бы вы продолжить работу в программе?",
                        "required": True,
                        "choices": [("yes", "Да"), ("no", "Нет")],
                    },
                    {"code": "sat_best", "kind": "long_text", "text": "Что было самым полезным?"},
                    {"code": "sat_improve", "kind": "long_text", "text": "Что стоит изменить в программе?"},
                    {"code": "sat_comment", "kind": "long_text", "text": "Что ещё вы хотели бы сказать?"},
                ],
            },
        ],
    },
    {
        "code": "satisfaction_mentor",
        "kind": "satisfaction_mentor",
        "title": "Анкета удовлетворённости наставника",
        "description": "Спасибо за вашу работу наставником. Оцените, пожалуйста, как прошла программа. 1 "
        "— совсем нет, 10 — полностью да.",
        "sections": [
            {
                "title": "Оценки",
                "questions": [
                    {
                        "code": "sat_expected",
                        "kind": "scale10",
                        "text": "Насколько эффективной вы ожидали программу до её начала?",
                        "required": True,
                    },
                    {
                        "code": "sat_real",
                        "kind": "scale10",
                        "text": "Насколько эффективной программа оказалась на деле?",
                        "required": True,
                    },
                    {
                        "code": "sat_comfort",
                        "kind": "scale10",
                        "text": "Насколько комфортно было работать с наставляемым?",
                        "required": True,
                    },
                    {
                        "code": "sat_meetings",
                        "kind": "scale10",
                        "text": "Насколько полезными, по-вашему, были встречи для наставляемого?",
                        "required": True,
                    },
                    {
                        "code": "sat_clarity",
                        "kind": "scale10",
                        "text": "Насколько понятны были цели, задачи и этапы программы?",
                        "required": True,
                    },
                    {
                        "code": "sat_support",
                        "kind": "scale10",
                        "text": "Насколько вы чувствовали поддержку куратора программы?",
                        "required": True,
                    },
                    {
                        "code": "sat_self_realisation",
                        "kind": "scale10",
                        "text": "Насколько вам удалось реализовать себя как наставнику?",
                        "required": True,
                    },
                ],
            },
            {
                "title": "Итоги",
                "questions": [
                    {
                        "code": "sat_glad",
                        "kind": "single",
                        "text": "Рады ли вы, что участвовали в программе?",
                        "required": True,
                        "choices": [("yes", "Да"), ("no", "Нет")],
                    },
                    {
                        "code": "sat_continue",
                        "kind": "single",
                        "text": "Хотели бы вы снова стать наставником?",
                        "required": True,
                        "choices": [("yes", "Да"), ("no", "Нет")],
                    },
                    {"code": "sat_best", "kind": "long_text", "text": "Что получилось лучше всего?"},
                    {"code": "sat_improve", "kind": "long_text", "text": "Чего вам не хватало?"},
                    {"code": "sat_comment", "kind": "long_text", "text": "Что ещё вы хотели бы сказать?"},
                ],
            },
        ],
    },
]


def _templates(apps):
    """The built-in satisfaction templates by role, installed if missing."""
    Questionnaire = apps.get_model("surveys", "Questionnaire")

    def current():
        return {
            q.builtin_code: q
            for q in Questionnaire.objects.filter(
                program__isnull=True, is_latest=True, builtin_code__in=TEMPLATE_OF_ROLE.values()
            )
        }

    templates = current()
    if len(templates) < len(TEMPLATE_OF_ROLE):
        for template in SATISFACTION_TEMPLATES:
            if template["code"] not in templates:
                _install_template(apps, template)
        templates = current()
    return {role: templates[code] for role, code in TEMPLATE_OF_ROLE.items()}


def _install_template(apps, template):
    """One built-in template with its sections and questions (no conditions in these two)."""
    Section = apps.get_model("surveys", "Section")
    Question = apps.get_model("surveys", "Question")
    questionnaire = apps.get_model("surveys", "Questionnaire").objects.create(
        program=None,
        kind=template["kind"],
        title=template["title"],
        description=template["description"],
        builtin_code=template["code"],
    )
    for section_position, section_data in enumerate(template["sections"], start=1):
        section = Section.objects.create(
            questionnaire=questionnaire, title=section_data["title"], position=section_position
        )
        for position, data in enumerate(section_data["questions"], start=1):
            Question.objects.create(
                questionnaire=questionnaire,
                section=section,
                position=position,
                code=data["code"],
                kind=data["kind"],
                text=data["text"],
                required=data.get("required", False),
                choices=[{"id": cid, "label": label} for cid, label in data.get("choices", [])],
            )


def _in_app_campaign(Campaign, program, questionnaire):
    campaign = Campaign.objects.filter(program=program, questionnaire=questionnaire, in_app=True).first()
    if campaign is not None:
        return campaign
    zone = ZoneInfo(program.organisation.timezone)
    return Campaign.objects.create(
        program=program,
        questionnaire=questionnaire,
        title=f"{questionnaire.title} (в личном кабинете)",
        deadline=dt.datetime.combine(dt.date(program.academic_year + 1, 8, 31), dt.time(23, 59, 59), zone),
        in_app=True,
    )


def feedback_to_responses(apps, schema_editor):
    PairFeedback = apps.get_model("mentoring", "PairFeedback")
    if not PairFeedback.objects.exists():
        return
    Campaign = apps.get_model("surveys", "Campaign")
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    Question = apps.get_model("surveys", "Question")
    templates = _templates(apps)
    questions = {
        (q.questionnaire_id, q.code): q
        for q in Question.objects.filter(questionnaire__in=list(templates.values()))
    }
    for questionnaire in templates.values():
        for code in [*RATINGS.values(), *YES_NO.values(), COMMENT]:
            if (questionnaire.pk, code) not in questions:
                raise RuntimeError(f"The built-in template {questionnaire.builtin_code} has no question {code}")
    campaigns = {}
    feedback = PairFeedback.objects.select_related(
        "group__program__organisation", "respondent__person"
    ).order_by("pk")
    for row in feedback.iterator(chunk_size=500):
        questionnaire = templates[row.role]
        program = row.group.program
        key = (program.pk, questionnaire.pk)
        if key not in campaigns:
            campaigns[key] = _in_app_campaign(Campaign, program, questionnaire)
        own = row.submitted_by_id is None or row.submitted_by_id == row.respondent.person.user_id
        response = Response.objects.create(
            campaign=campaigns[key],
            respondent_id=row.respondent.person_id,
            group_id=row.group_id,
            pair_stage=row.stage,
            status=SUBMITTED,
            started_at=row.submitted_at,
            submitted_at=row.submitted_at,
            entered_by_id=None if own else row.submitted_by_id,
        )
        # auto_now_add / auto_now set these to the migration's time; the feedback's is the truth.
        Response.objects.filter(pk=response.pk).update(created_at=row.submitted_at, updated_at=row.submitted_at)

        def answer(code, value, number=None):
            return Answer(
                response=response, question=questions[(questionnaire.pk, code)], value=value, number=number
            )

        answers = [answer(code, getattr(row, name), getattr(row, name)) for name, code in RATINGS.items()]
        answers += [answer(code, "yes" if getattr(row, name) else "no") for name, code in YES_NO.items()]
        if row.comment.strip():
            answers.append(answer(COMMENT, row.comment.strip()))
        Answer.objects.bulk_create(answers)


def responses_to_feedback(apps, schema_editor):
    PairFeedback = apps.get_model("mentoring", "PairFeedback")
    GroupMembership = apps.get_model("mentoring", "GroupMembership")
    Campaign = apps.get_model("surveys", "Campaign")
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    responses = Response.objects.filter(group__isnull=False, status=SUBMITTED).select_related(
        "campaign__questionnaire", "respondent", "group"
    )
    for response in responses.order_by("pk").iterator(chunk_size=500):
        answers = dict(Answer.objects.filter(response=response).values_list("question__code", "value"))
        if any(code not in answers for code in [*RATINGS.values(), *YES_NO.values()]):
            continue
        role = "mentor" if response.campaign.questionnaire.kind == "satisfaction_mentor" else "mentee"
        if role == "mentor":
            respondent_id = response.group.mentor_id
        else:
            membership = GroupMembership.objects.filter(
                group_id=response.group_id, mentee__person_id=response.respondent_id
            ).first()
            if membership is None:
                continue
            respondent_id = membership.mentee_id
        PairFeedback.objects.create(
            group_id=response.group_id,
            respondent_id=respondent_id,
            role=role,
            stage=response.pair_stage,
            comment=str(answers.get(COMMENT, "")),
            submitted_by_id=response.entered_by_id or response.respondent.user_id,
            submitted_at=response.submitted_at,
            **{name: int(answers[code]) for name, code in RATINGS.items()},
            **{name: answers[code] == "yes" for name, code in YES_NO.items()},
        )
    Response.objects.filter(group__isnull=False).delete()
    Campaign.objects.filter(in_app=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0002_plans_meetings_events_completion"),
        ("surveys", "0004_satisfaction_comment_question"),
    ]

    operations = [migrations.RunPython(feedback_to_responses, responses_to_feedback)]
