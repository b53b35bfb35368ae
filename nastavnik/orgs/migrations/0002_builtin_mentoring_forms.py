"""Built-in forms of mentoring and their role variants (Р-145, АЗ-1128/08)."""

from django.db import migrations

# (code, name, program kind, mentor kind, mentee kind, variants)
FORMS = [
    ("student-student", "Ученик – ученик", "students", "student", "student", [
        "Успевающий – неуспевающий",
        "Лидер – пассивный",
        "Равный – равному",
        "Адаптированный – неадаптированный",
    ]),
    ("teacher-student", "Учитель – ученик", "students", "teacher", "student", []),
    ("student-pupil", "Студент – ученик", "students", "college_student", "student", []),
    ("employer-pupil", "Работодатель – ученик", "students", "partner_employee", "student", [
        "Активный профессионал – равнодушный потребитель",
        "Коллега – молодой коллега",
    ]),
    ("employer-student", "Работодатель – студент", "students", "partner_employee", "college_student", []),
    ("student-student-spo", "Студент – студент", "students", "college_student", "college_student", []),
    ("teacher-teacher", "Учитель – учитель", "teachers", "teacher", "teacher", [
        "Опытный педагог – молодой специалист",
        "Опытный классный руководитель – молодой специалист",
        "Лидер педагогического сообщества – педагог, испытывающий проблемы",
        "Педагог-новатор – консервативный педагог",
    ]),
    ("head-teacher", "Руководитель ОО – учитель", "teachers", "teacher", "teacher", []),
    ("traditional", "Традиционная («один на один»)", "teachers", "teacher", "teacher", []),
    ("group", "Групповая (в группе)", "teachers", "teacher", "teacher", []),
    ("virtual", "Виртуальная", "teachers", "teacher", "teacher", []),
    ("short-term", "Краткосрочная (целеполагающая)", "teachers", "teacher", "teacher", []),
    ("reverse", "Реверсивная", "teachers", "teacher", "teacher", []),
    ("situational", "Ситуационная", "teachers", "teacher", "teacher", []),
    ("speed", "Скоростная", "teachers", "teacher", "teacher", []),
]


def create_forms(apps, schema_editor):
    MentoringForm = apps.get_model("orgs", "MentoringForm")
    for order, (code, name, program_kind, mentor_kind, mentee_kind, variants) in enumerate(FORMS, start=1):
        form, _ = MentoringForm.objects.update_or_create(
            organisation=None,
            code=code,
            defaults={
                "name": name,
                "program_kind": program_kind,
                "mentor_kind": mentor_kind,
                "mentee_kind": mentee_kind,
                "sort_order": order * 10,
            },
        )
        for v_order, variant in enumerate(variants, start=1):
            MentoringForm.objects.update_or_create(
                organisation=None,
                code=f"{code}-{v_order}",
                defaults={
                    "name": variant,
                    "parent": form,
                    "program_kind": program_kind,
                    "mentor_kind": mentor_kind,
                    "mentee_kind": mentee_kind,
                    "sort_order": order * 10 + v_order,
                },
            )


def delete_forms(apps, schema_editor):
    apps.get_model("orgs", "MentoringForm").objects.filter(organisation=None).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(create_forms, delete_forms)]
