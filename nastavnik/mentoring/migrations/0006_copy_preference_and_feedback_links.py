"""Copy the links the surveys app held into mentoring (and back): `Campaign.meeting` becomes a
`PreferenceCampaign` and the campaign's rank candidates are the meeting's participants marked
present; `Response.group`/`pair_stage` become a `PairFeedbackResponse`, and such a response is
marked as answered in «Мой кабинет». Frozen: historical models only."""

from django.db import migrations


def forwards(apps, schema_editor):
    Campaign = apps.get_model("surveys", "Campaign")
    Response = apps.get_model("surveys", "Response")
    EventInvitation = apps.get_model("mentoring", "EventInvitation")
    PreferenceCampaign = apps.get_model("mentoring", "PreferenceCampaign")
    PairFeedbackResponse = apps.get_model("mentoring", "PairFeedbackResponse")
    for campaign in Campaign.objects.filter(meeting__isnull=False).order_by("pk"):
        PreferenceCampaign.objects.get_or_create(campaign_id=campaign.pk, defaults={"event_id": campaign.meeting_id})
        present = EventInvitation.objects.filter(
            event_id=campaign.meeting_id, attended=True, participation__isnull=False
        ).values_list("participation_id", flat=True)
        campaign.rank_candidates.set(list(present))
    for response in Response.objects.filter(group__isnull=False).order_by("pk"):
        PairFeedbackResponse.objects.get_or_create(
            response_id=response.pk, defaults={"group_id": response.group_id, "stage": response.pair_stage}
        )
    Response.objects.filter(campaign__in_app=True).update(in_app=True)


def backwards(apps, schema_editor):
    Campaign = apps.get_model("surveys", "Campaign")
    Response = apps.get_model("surveys", "Response")
    PreferenceCampaign = apps.get_model("mentoring", "PreferenceCampaign")
    PairFeedbackResponse = apps.get_model("mentoring", "PairFeedbackResponse")
    for link in PreferenceCampaign.objects.order_by("pk"):
        Campaign.objects.filter(pk=link.campaign_id).update(meeting_id=link.event_id)
    for link in PairFeedbackResponse.objects.order_by("pk"):
        Response.objects.filter(pk=link.response_id).update(group_id=link.group_id, pair_stage=link.stage)
    PreferenceCampaign.objects.all().delete()
    PairFeedbackResponse.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0005_preference_campaigns_and_pair_feedback_responses'),
        ('surveys', '0008_campaign_rank_candidates_response_in_app'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
