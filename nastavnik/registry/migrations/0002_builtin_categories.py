"""Built-in categories of participants that target indicators count."""

from django.db import migrations

CATEGORIES = [
    ("ovz", "Обучающиеся с ОВЗ", "ОВЗ"),
    ("disabled", "Дети-инвалиды", "Инвалидность"),
    ("gifted", "Проявившие выдающиеся способности", "Одарённые"),
    ("hard-life", "В трудной жизненной ситуации", "ТЖС"),
    ("low-income", "Из малоимущих семей", "Малоимущие"),
    ("rural", "Проживающие в сельской местности", "Село"),
    ("orphan", "Дети-сироты и оставшиеся без попечения родителей", "Сироты"),
    ("at-risk", "Состоящие на персонифицированном учёте (СОП, ВШУ)", "Учёт / СОП"),
    ("low-achieving", "Неуспевающие", "Неуспевающие"),
    ("migrant", "Дети мигрантов", "Мигранты"),
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("registry", "Category")
    for order, (code, name, short_name) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short_name, "sort_order": order * 10}
        )


def delete_categories(apps, schema_editor):
    codes = [code for code, _, _ in CATEGORIES]
    apps.get_model("registry", "Category").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(create_categories, delete_categories)]
