"""Built-in target indicators: the table of the school roadmap seed (roadmap-school-cmn-2020) and
the methodology (Р-145 of 25.12.2019; the federal goal of 70 % of students in mentoring).

Ages, stage and denominators are fields of each row, so a region can change them without code.
"""

from django.db import migrations

# code, short name, full name, fields, aliases (wordings of roadmaps, for pasting their tables)
INDICATORS = [
    (
        "mentees-11-18",
        "Наставляемые 11–18 лет",
        "Доля детей в возрасте от 11 до 18 лет, вошедших в наставнические программы в роли "
        "наставляемого, от общего количества обучающихся, %",
        {"population": "learners", "age_min": 11, "age_max": 18, "numerator": "mentees",
         "denominator": "population"},
        ["Доля детей в возрасте от 11 до 18 лет, вошедших в наставнические программы в роли наставляемого"],
    ),
    (
        "mentors-15-18",
        "Наставники 15–18 лет",
        "Доля детей и подростков в возрасте от 15 до 18 лет, вошедших в наставнические программы в роли "
        "наставника, от общего количества обучающихся, %",
        {"population": "learners", "age_min": 15, "age_max": 18, "numerator": "mentors",
         "denominator": "population"},
        ["Доля детей и подростков в возрасте от 15 до 18 лет, вошедших в наставнические программы в роли наставника"],
    ),
    (
        "young-teachers-mentees",
        "Молодые педагоги — наставляемые",
        "Доля учителей — молодых специалистов (стаж до 3 лет), вошедших в наставнические программы в роли "
        "наставляемого, %",
        {"population": "teachers", "young_only": True, "young_max_experience": 3, "numerator": "mentees",
         "denominator": "filtered"},
        ["Доля учителей-молодых специалистов, вошедших в наставнические программы в роли наставляемого",
         "Доля учителей - молодых специалистов (с опытом работы от 0 до 3 лет), вошедших в программы наставничества в роли наставляемого"],
    ),
    (
        "ovz-covered",
        "Охват детей с ОВЗ",
        "Доля детей с ограниченными возможностями здоровья, охваченных наставническими программами, "
        "от общего числа обучающихся с ОВЗ, %",
        {"population": "learners", "category": "ovz", "numerator": "any_role", "denominator": "filtered"},
        ["Доля детей с ограниченными возможностями здоровья, охваченных наставническими программами"],
    ),
    (
        "at-risk-covered",
        "Охват несовершеннолетних на учёте / СОП",
        "Доля несовершеннолетних обучающихся, состоящих на персонифицированном учёте (в социально опасном "
        "положении), охваченных наставническими программами, от их общего числа, %",
        {"population": "learners", "age_max": 17, "category": "at-risk", "numerator": "any_role",
         "denominator": "filtered"},
        ["Доля несовершеннолетних обучающихся, охваченных наставническими программами, состоящими на персонифицированном учете"],
    ),
    (
        "mentees-10-19",
        "Наставляемые 10–19 лет",
        "Доля детей в возрасте от 10 до 19 лет, вошедших в программы наставничества в роли наставляемого, "
        "от общего числа обучающихся 10–19 лет, %",
        {"population": "learners", "age_min": 10, "age_max": 19, "numerator": "mentees",
         "denominator": "filtered"},
        ["Доля детей в возрасте от 10 до 19 лет, вошедших в программы наставничества в роли наставляемого"],
    ),
    (
        "mentors-15-19",
        "Наставники 15–19 лет",
        "Доля детей и подростков в возрасте от 15 до 19 лет, вошедших в программы наставничества в роли "
        "наставника, от общего числа обучающихся 15–19 лет, %",
        {"population": "learners", "age_min": 15, "age_max": 19, "numerator": "mentors",
         "denominator": "filtered"},
        ["Доля детей и подростков в возрасте от 15 до 19 лет, вошедших в программы наставничества в роли наставника"],
    ),
    (
        "learners-covered",
        "Обучающиеся в наставничестве",
        "Доля обучающихся, вовлечённых в различные формы наставничества (федеральная цель — 70 % к 2024 году), %",
        {"population": "learners", "numerator": "any_role", "denominator": "filtered"},
        ["Доля обучающихся, вовлеченных в различные формы наставничества"],
    ),
    (
        "consent-coverage",
        "Согласия участников",
        "Доля участников программ наставничества с действующим согласием на обработку персональных данных, %",
        {"population": "participants", "numerator": "consent", "denominator": "filtered"},
        ["Согласия на обработку персональных данных у участников"],
    ),
    (
        "mentees-count",
        "Наставляемых, чел.",
        "Число наставляемых",
        {"population": "everyone", "numerator": "mentees", "denominator": "none"},
        ["Количество наставляемых"],
    ),
    (
        "mentors-count",
        "Наставников, чел.",
        "Число наставников",
        {"population": "everyone", "numerator": "mentors", "denominator": "none"},
        ["Количество наставников"],
    ),
]


def create_indicators(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    Category = apps.get_model("registry", "Category")
    for order, (code, short_name, name, fields, aliases) in enumerate(INDICATORS, start=1):
        fields = dict(fields)
        category_code = fields.pop("category", None)
        defaults = {
            "name": name,
            "short_name": short_name,
            "aliases": "\n".join(aliases),
            "sort_order": order * 10,
            "is_builtin": True,
            "age_min": None,
            "age_max": None,
            "category": Category.objects.get(code=category_code) if category_code else None,
            "young_only": False,
            "young_max_experience": 3,
            **fields,
        }
        # get_or_create: re-running (ensure_reference_data) keeps a region's changes to a built-in.
        Indicator.objects.get_or_create(code=code, defaults=defaults)


def delete_indicators(apps, schema_editor):
    codes = [row[0] for row in INDICATORS]
    apps.get_model("monitoring", "Indicator").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_indicators_and_targets"),
        ("registry", "0002_builtin_categories"),
    ]
    operations = [migrations.RunPython(create_indicators, delete_indicators)]
