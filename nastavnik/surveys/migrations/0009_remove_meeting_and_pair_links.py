"""The surveys app knows nothing of mentoring: the networking meeting of a preference campaign
and the pair (and stage) of a pair member's questionnaire are mentoring's now
(`PreferenceCampaign`, `PairFeedbackResponse`, filled by mentoring 0006). A respondent has one
response per campaign unless it was answered in «Мой кабинет»."""

from django.db import migrations, models


def free_the_meeting_index_name(apps, schema_editor):
    """Backwards only, right after `meeting` is added back: on PostgreSQL its index takes the name
    `surveys_campaign_meeting_id_754bd6f1`, which 0007 (backwards) needs for the old `meeting` it
    restores, so this one steps aside. Renaming a column (0007) keeps an index's name."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER INDEX IF EXISTS surveys_campaign_meeting_id_754bd6f1 "
            "RENAME TO surveys_campaign_event_meeting_id_idx"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0006_copy_preference_and_feedback_links'),
        ('surveys', '0008_campaign_rank_candidates_response_in_app'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, free_the_meeting_index_name),
        migrations.RemoveConstraint(
            model_name='response',
            name='response_pair_stage_with_group',
        ),
        migrations.RemoveField(
            model_name='campaign',
            name='meeting',
        ),
        migrations.RemoveField(
            model_name='response',
            name='group',
        ),
        migrations.RemoveField(
            model_name='response',
            name='pair_stage',
        ),
        migrations.AddConstraint(
            model_name='response',
            constraint=models.UniqueConstraint(condition=models.Q(('about_person__isnull', True), ('in_app', False)), fields=('campaign', 'respondent'), name='response_unique_respondent'),
        ),
    ]
