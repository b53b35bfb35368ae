import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0007_program_event_cancellation"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="sequence",
            field=models.PositiveIntegerField(default=0, verbose_name="редакция для календарей"),
        ),
        migrations.AddField(
            model_name="meeting",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name="изменена"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="programevent",
            name="sequence",
            field=models.PositiveIntegerField(default=0, verbose_name="редакция для календарей"),
        ),
        migrations.AddField(
            model_name="programevent",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name="изменено"),
            preserve_default=False,
        ),
    ]
