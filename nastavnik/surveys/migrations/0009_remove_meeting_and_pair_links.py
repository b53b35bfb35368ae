"""The surveys app knows nothing of mentoring: the networking meeting of a preference campaign
and the pair (and stage) of a pair member's questionnaire are mentoring's now
(`PreferenceCampaign`, `PairFeedbackResponse`, filled by mentoring 0006). A respondent has one
response per campaign unless it was answered in «Мой кабинет»."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0006_copy_preference_and_feedback_links'),
        ('surveys', '0008_campaign_rank_candidates_response_in_app'),
    ]

    operations = [
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
