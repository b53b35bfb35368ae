"""The built-in satisfaction templates get an open question «Что ещё вы хотели бы сказать?»
(`sat_comment`): the in-app pair feedback had a free comment, and converting it needs a
question of the same meaning (see mentoring 0003).

A built-in template is otherwise never changed: no campaign can send it (a program sends its own
copy), so no answer points at it, and an added optional question changes no existing answer.
Program copies made earlier keep their questions. On a new database the template is installed
with the question already (0002's frozen copy has it), and this adds nothing.
"""

from django.db import migrations
from django.db.models import Max

CODE = "sat_comment"
TEXT = "Что ещё вы хотели бы сказать?"
TEMPLATES = ("satisfaction_mentee", "satisfaction_mentor")


def add_question(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Question = apps.get_model("surveys", "Question")
    for questionnaire in Questionnaire.objects.filter(program__isnull=True, builtin_code__in=TEMPLATES):
        if questionnaire.questions.filter(code=CODE).exists():
            continue
        # After «Рады ли вы…» and the other closing questions.
        anchor = questionnaire.questions.filter(code="sat_glad").first()
        section = anchor.section if anchor else questionnaire.sections.order_by("-position", "-pk").first()
        if section is None:
            continue
        last = section.questions.aggregate(last=Max("position"))["last"] or 0
        Question.objects.create(
            questionnaire=questionnaire,
            section=section,
            position=last + 1,
            code=CODE,
            kind="long_text",
            text=TEXT,
        )


def remove_question(apps, schema_editor):
    Question = apps.get_model("surveys", "Question")
    Question.objects.filter(
        questionnaire__program__isnull=True,
        questionnaire__builtin_code__in=TEMPLATES,
        code=CODE,
        answers__isnull=True,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_in_app_campaigns_and_pair_responses")]
    operations = [migrations.RunPython(add_question, remove_question)]
