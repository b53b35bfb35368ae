"""The built-in indicator of stage 1 of monitoring: «Удовлетворённость участников (%)».

Its definition is in its name (full wording) and in `nastavnik/monitoring/satisfaction.py`.
"""

from django.db import migrations

CODE = "participants-satisfied"
NAME = (
    "Удовлетворённость участников программ наставничества: доля ответивших на анкеты "
    "удовлетворённости учебного года (наставляемых и наставников), у которых средняя оценка по "
    "пунктам 1–10 не ниже 7 (без пункта «ожидаемая эффективность»), %"
)


def create_indicator(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    # get_or_create: re-running (ensure_reference_data) keeps a region's changes to a built-in.
    Indicator.objects.get_or_create(
        code=CODE,
        defaults={
            "name": NAME,
            "short_name": "Удовлетворённость участников",
            "aliases": "Доля участников, удовлетворённых участием в программе наставничества\n"
            "Удовлетворенность участников программ наставничества",
            "population": "satisfaction",
            "numerator": "satisfied",
            "denominator": "filtered",
            "is_builtin": True,
            "sort_order": 95,
        },
    )


def delete_indicator(apps, schema_editor):
    apps.get_model("monitoring", "Indicator").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_satisfaction_population_and_numerator")]
    operations = [migrations.RunPython(create_indicator, delete_indicator)]
