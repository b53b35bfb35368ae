"""The built-in indicator of plan fulfilment (seeds: «индивидуальные планы реализованы не менее
чем на 90 %»). Its definition is in `nastavnik/monitoring/plans.py`."""

from django.db import migrations

CODE = "plans-fulfilled"
NAME = (
    "Доля наставляемых, чьи индивидуальные планы (персонализированные программы наставничества) "
    "выполнены не менее чем на 90 %, от наставляемых с утверждённым планом, %"
)


def create_indicator(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    # get_or_create: re-running (ensure_reference_data) keeps a region's changes to a built-in.
    Indicator.objects.get_or_create(
        code=CODE,
        defaults={
            "name": NAME,
            "short_name": "Планы выполнены на 90 %",
            "aliases": "Индивидуальные планы реализованы не менее чем на 90%\n"
            "Доля выполненных индивидуальных планов",
            "population": "plans",
            "numerator": "plan_fulfilled",
            "denominator": "filtered",
            "is_builtin": True,
            "sort_order": 96,
        },
    )


def delete_indicator(apps, schema_editor):
    apps.get_model("monitoring", "Indicator").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_plan_holders_population_and_numerator")]
    operations = [migrations.RunPython(create_indicator, delete_indicator)]
