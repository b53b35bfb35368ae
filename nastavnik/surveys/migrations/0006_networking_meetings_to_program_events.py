"""The networking meeting is recorded once, as a program event: every `NetworkingMeeting` becomes
a `mentoring.ProgramEvent` of kind «networking» and each of its `MeetingParticipant`s an
`EventInvitation`; the campaigns sent after it point at the event (`Campaign.program_event`,
renamed to `meeting` by 0007, which drops the old tables).

- held_on → starts_at at 15:00 in the organisation's time zone (the old record had no time);
  title, place and created_by are kept, the notes become the description;
- a participant's invitation names their participation in the program (of the participant's
  role if there is one, else any), so they count in the event's share present; `attended` is kept;
- a curator had to record the meeting twice, so the program often has the same meeting as a
  program event already: a networking event of the program on the same local day takes the
  meeting in. Its place and description are filled in if empty, missing participants are invited,
  and a person counts as present if either record says so (so every ranking made after the
  meeting stays valid).

Backwards, every networking event becomes a `NetworkingMeeting` (its local date, title, place,
description as the notes) with its mentors and mentees as participants, and the campaigns point
at it again; the events stay, so running forward again takes each meeting back into its event.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

NETWORKING = "networking"
AFTERNOON = dt.time(15, 0)


def _same_day_event(ProgramEvent, program_id, day, zone):
    start = dt.datetime.combine(day, dt.time(0, 0), zone)
    return (
        ProgramEvent.objects.filter(
            program_id=program_id,
            kind=NETWORKING,
            starts_at__gte=start,
            starts_at__lt=start + dt.timedelta(days=1),
        )
        .order_by("starts_at", "pk")
        .first()
    )


def _participation_id(Participation, program_id, person_id, role):
    rows = list(
        Participation.objects.filter(program_id=program_id, person_id=person_id).values_list("pk", "role")
    )
    for pk, own_role in rows:
        if own_role == role:
            return pk
    return rows[0][0] if rows else None


def meetings_to_events(apps, schema_editor):
    NetworkingMeeting = apps.get_model("surveys", "NetworkingMeeting")
    MeetingParticipant = apps.get_model("surveys", "MeetingParticipant")
    Campaign = apps.get_model("surveys", "Campaign")
    ProgramEvent = apps.get_model("mentoring", "ProgramEvent")
    EventInvitation = apps.get_model("mentoring", "EventInvitation")
    Participation = apps.get_model("registry", "Participation")
    meetings = NetworkingMeeting.objects.select_related("program__organisation").order_by("pk")
    for meeting in meetings.iterator(chunk_size=200):
        zone = ZoneInfo(meeting.program.organisation.timezone)
        event = _same_day_event(ProgramEvent, meeting.program_id, meeting.held_on, zone)
        if event is None:
            event = ProgramEvent.objects.create(
                program_id=meeting.program_id,
                kind=NETWORKING,
                title=meeting.title,
                starts_at=dt.datetime.combine(meeting.held_on, AFTERNOON, zone),
                place=meeting.place,
                description=meeting.notes,
                created_by_id=meeting.created_by_id,
            )
            # auto_now_add set it to the migration's time; the meeting's is the truth.
            ProgramEvent.objects.filter(pk=event.pk).update(created_at=meeting.created_at)
        else:
            changed = []
            if not event.place and meeting.place:
                event.place = meeting.place
                changed.append("place")
            notes = meeting.notes.strip()
            if notes and notes not in event.description:
                event.description = f"{event.description.rstrip()}\n\n{notes}".strip()
                changed.append("description")
            if changed:
                event.save(update_fields=changed)
        invitations = {i.person_id: i for i in EventInvitation.objects.filter(event=event)}
        for participant in MeetingParticipant.objects.filter(meeting=meeting).order_by("pk"):
            participation_id = _participation_id(
                Participation, meeting.program_id, participant.person_id, participant.role
            )
            invitation = invitations.get(participant.person_id)
            if invitation is None:
                invitation = EventInvitation.objects.create(
                    event=event,
                    person_id=participant.person_id,
                    participation_id=participation_id,
                    attended=participant.attended,
                )
                EventInvitation.objects.filter(pk=invitation.pk).update(invited_at=meeting.created_at)
                invitations[participant.person_id] = invitation
                continue
            attended = bool(invitation.attended) or participant.attended
            if invitation.attended != attended or invitation.participation_id is None:
                invitation.attended = attended
                invitation.participation_id = invitation.participation_id or participation_id
                invitation.save(update_fields=["attended", "participation"])
        Campaign.objects.filter(meeting_id=meeting.pk).update(program_event=event)


def events_to_meetings(apps, schema_editor):
    NetworkingMeeting = apps.get_model("surveys", "NetworkingMeeting")
    MeetingParticipant = apps.get_model("surveys", "MeetingParticipant")
    Campaign = apps.get_model("surveys", "Campaign")
    ProgramEvent = apps.get_model("mentoring", "ProgramEvent")
    EventInvitation = apps.get_model("mentoring", "EventInvitation")
    events = ProgramEvent.objects.filter(kind=NETWORKING).select_related("program__organisation")
    for event in events.order_by("starts_at", "pk").iterator(chunk_size=200):
        zone = ZoneInfo(event.program.organisation.timezone)
        meeting = NetworkingMeeting.objects.create(
            program_id=event.program_id,
            title=event.title,
            held_on=event.starts_at.astimezone(zone).date(),
            place=event.place,
            notes=event.description,
            created_by_id=event.created_by_id,
        )
        NetworkingMeeting.objects.filter(pk=meeting.pk).update(created_at=event.created_at)
        MeetingParticipant.objects.bulk_create(
            MeetingParticipant(
                meeting=meeting,
                person_id=invitation.person_id,
                role=invitation.participation.role,
                attended=bool(invitation.attended),
            )
            for invitation in EventInvitation.objects.filter(event=event, participation__isnull=False)
            .select_related("participation")
            .order_by("pk")
        )
        Campaign.objects.filter(program_event=event).update(meeting=meeting, program_event=None)


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0004_remove_pair_feedback"),
        ("registry", "0005_experience_on_a_date"),
        ("surveys", "0005_campaign_program_event"),
    ]

    operations = [migrations.RunPython(meetings_to_events, events_to_meetings)]
