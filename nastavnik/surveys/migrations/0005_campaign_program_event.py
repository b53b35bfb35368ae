"""A campaign may point at the networking meeting as a program event of the mentoring app: the
field is added next to the old `meeting` (a `NetworkingMeeting`), filled by 0006 and takes the
old field's name in 0007, when `NetworkingMeeting` and `MeetingParticipant` are dropped."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0004_remove_pair_feedback'),
        ('surveys', '0004_satisfaction_comment_question'),
    ]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='program_event',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='mentoring.programevent', verbose_name='общая встреча'),
        ),
    ]
