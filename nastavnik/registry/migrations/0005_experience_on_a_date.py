"""Experience on a date: the years entered so far were true when the card was created (or last
changed), so that date anchors them and the start of the career follows."""

from django.db import migrations, models
from django.utils import timezone


def years_before(day, years):
    """The date `years` years before `day`; 29 February maps to 28 February (a frozen copy of
    nastavnik.base.time.years_before as it was when this migration was written)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def anchor_existing_experience(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    people = Person.objects.filter(experience_years__isnull=False).only("pk", "experience_years", "updated_at")
    for person in people.iterator(chunk_size=2000):
        on = timezone.localtime(person.updated_at).date()
        Person.objects.filter(pk=person.pk).update(
            experience_on=on, teaching_since=years_before(on, person.experience_years)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_participation_added_on_local_date"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="experience_on",
            field=models.DateField(blank=True, null=True, verbose_name="стаж указан на дату"),
        ),
        migrations.AddField(
            model_name="person",
            name="teaching_since",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="педагогический стаж с"),
        ),
        migrations.RunPython(anchor_existing_experience, migrations.RunPython.noop),
    ]
