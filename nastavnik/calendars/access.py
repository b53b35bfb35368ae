"""Who reads which calendar: a feed by its secret address (404 for a revoked or unknown one),
the user's own feed, and a single meeting or event for the «в календарь» download — the same
rules as the meeting and event pages (`mentoring.access`)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from nastavnik.accounts.access import AnyUser
from nastavnik.accounts.models import User
from nastavnik.mentoring.access import (
    get_group_for_user,
    get_meeting_for_user,
    get_program_event_for_user,
    group_role_for,
)
from nastavnik.mentoring.calendars import person_meetings
from nastavnik.mentoring.models import Meeting, ProgramEvent

from .models import CalendarFeed


def get_feed_by_token(token: str) -> CalendarFeed:
    if not token or len(token) < 32:
        raise Http404("Календарь не найден")
    try:
        return CalendarFeed.objects.select_related("user").get(token=token, user__is_active=True)
    except ObjectDoesNotExist as exc:
        raise Http404("Календарь не найден") from exc


def own_feed_of(user: AnyUser) -> CalendarFeed | None:
    if not user.is_authenticated:
        return None
    return CalendarFeed.objects.filter(user=user).first()


def get_meeting_for_calendar(user: AnyUser, group_pk: int, meeting_pk: int) -> Meeting:
    """A meeting the user may open: staff and the mentor any of the group's, a mentee or a
    parent only those of their own (their child's) time in the group."""
    group = get_group_for_user(user, group_pk)
    meeting = get_meeting_for_user(user, group, meeting_pk)
    if not group_role_for(user, group).sees_all_members:
        assert isinstance(user, User)
        if meeting.pk not in {m.pk for m in person_meetings(user)}:
            raise Http404("Встреча не найдена")
    return meeting


def get_event_for_calendar(user: AnyUser, pk: int) -> ProgramEvent:
    return get_program_event_for_user(user, pk)
