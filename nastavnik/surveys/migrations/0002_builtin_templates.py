"""Built-in questionnaire templates of the ЦМН methodology (see nastavnik/surveys/builtin.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from nastavnik.surveys.builtin import install_builtin_templates

    install_builtin_templates(
        apps.get_model("surveys", "Questionnaire"),
        apps.get_model("surveys", "Section"),
        apps.get_model("surveys", "Question"),
    )


def remove(apps, schema_editor):
    apps.get_model("surveys", "Questionnaire").objects.filter(program__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_questionnaires_campaigns_answers"),
    ]

    operations = [migrations.RunPython(install, remove)]
