"""`NetworkingMeeting` and `MeetingParticipant` are gone: every networking meeting is a program
event of kind «networking» with its invitations (0006), and `Campaign.meeting` points at it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0006_networking_meetings_to_program_events'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='campaign',
            name='meeting',
        ),
        migrations.DeleteModel(
            name='MeetingParticipant',
        ),
        migrations.DeleteModel(
            name='NetworkingMeeting',
        ),
        migrations.RenameField(
            model_name='campaign',
            old_name='program_event',
            new_name='meeting',
        ),
        migrations.AlterField(
            model_name='campaign',
            name='meeting',
            field=models.ForeignKey(blank=True, limit_choices_to={'kind': 'networking'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='survey_campaigns', to='mentoring.programevent', verbose_name='общая встреча'),
        ),
    ]
