"""The built-in indicators of training (seeds: «обучение наставников», «повышение квалификации»):
the share of mentors and the share of curators who completed a course. Their definition is in
`nastavnik/monitoring/trained.py`."""

from django.db import migrations

INDICATORS = [
    {
        "code": "mentors-trained",
        "name": "Доля наставников, прошедших обучение, от наставников программ учебного года, %",
        "short_name": "Наставники обучены",
        "aliases": "Доля наставников, прошедших обучение\nОбучение наставников\n"
        "Доля обученных наставников",
        "population": "mentors",
        "numerator": "trained",
        "denominator": "filtered",
        "is_builtin": True,
        "sort_order": 97,
    },
    {
        "code": "curators-trained",
        "name": "Доля кураторов программ наставничества, прошедших обучение, %",
        "short_name": "Кураторы обучены",
        "aliases": "Доля кураторов, прошедших обучение\nПовышение квалификации кураторов",
        "population": "curators",
        "numerator": "trained",
        "denominator": "filtered",
        "is_builtin": True,
        "sort_order": 98,
    },
]


def create_indicators(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    # get_or_create: re-running (ensure_reference_data) keeps a region's changes to a built-in.
    for data in INDICATORS:
        Indicator.objects.get_or_create(code=data["code"], defaults={k: v for k, v in data.items() if k != "code"})


def delete_indicators(apps, schema_editor):
    apps.get_model("monitoring", "Indicator").objects.filter(code__in=[d["code"] for d in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0007_training_population_and_numerator")]
    operations = [migrations.RunPython(create_indicators, delete_indicators)]
