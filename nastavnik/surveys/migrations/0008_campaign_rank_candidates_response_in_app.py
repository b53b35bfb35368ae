"""A campaign names the program's people its «choose and rank people» questions offer (the
mentoring app keeps them: who came to the networking meeting), and a response says it was answered
in «Мой кабинет» (such responses may repeat). The links to mentoring are copied by mentoring 0006
and dropped in 0009.

The one-response-per-respondent rule that skips responses naming a pair is dropped here and comes
back in 0009 skipping in-app responses instead, once 0006 has marked them: so, backwards, it is
restored only after 0006 has named the pairs again."""

from django.db import migrations, models


def free_the_meeting_index_name(apps, schema_editor):
    """Backwards only. On PostgreSQL the `meeting` that 0009 (backwards) adds back gets the index
    name `surveys_campaign_meeting_id_754bd6f1` (created when that migration ends), and 0007
    (backwards) needs the same name for the older `meeting` it restores: renaming a column keeps
    an index's name, so this one steps aside first."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER INDEX IF EXISTS surveys_campaign_meeting_id_754bd6f1 "
            "RENAME TO surveys_campaign_event_meeting_id_idx"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_experience_on_a_date'),
        ('surveys', '0007_remove_networking_meeting'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, free_the_meeting_index_name),
        migrations.RemoveConstraint(
            model_name='response',
            name='response_unique_respondent',
        ),
        migrations.AddField(
            model_name='campaign',
            name='rank_candidates',
            field=models.ManyToManyField(blank=True, help_text='Участники программы, которых предлагает вопрос «выбор и ранжирование людей».', related_name='+', to='registry.participation', verbose_name='кого предлагать в выборе людей'),
        ),
        migrations.AddField(
            model_name='response',
            name='in_app',
            field=models.BooleanField(default=False, verbose_name='анкета в личном кабинете'),
        ),
    ]
