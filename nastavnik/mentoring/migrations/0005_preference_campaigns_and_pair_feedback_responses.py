"""Mentoring owns the links to questionnaires: which campaign is the preference questionnaire of
a networking meeting, and which response is a pair member's feedback on their pair at a stage
(filled from the surveys app's old fields by 0006)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0004_remove_pair_feedback'),
        ('surveys', '0008_campaign_rank_candidates_response_in_app'),
    ]

    operations = [
        migrations.CreateModel(
            name='PairFeedbackResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('interim', 'Промежуточная'), ('final', 'Итоговая')], max_length=10, verbose_name='анкета пары')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback_responses', to='mentoring.mentoringgroup', verbose_name='о работе пары (группы)')),
                ('response', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='pair_feedback', to='surveys.response', verbose_name='анкета')),
            ],
            options={
                'verbose_name': 'анкета пары',
                'verbose_name_plural': 'анкеты пар',
            },
        ),
        migrations.CreateModel(
            name='PreferenceCampaign',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('campaign', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='preference_of', to='surveys.campaign', verbose_name='рассылка анкеты')),
                ('event', models.ForeignKey(limit_choices_to={'kind': 'networking'}, on_delete=django.db.models.deletion.PROTECT, related_name='preference_campaigns', to='mentoring.programevent', verbose_name='общая встреча')),
            ],
            options={
                'verbose_name': 'анкета предпочтений после общей встречи',
                'verbose_name_plural': 'анкеты предпочтений после общих встреч',
            },
        ),
    ]
