from django.urls import path

from .views import groups, overview, surveys, work

app_name = "mentoring"
urlpatterns = [
    path("", groups.group_list, name="group_list"),
    path("board/", overview.board, name="board"),
    path("my/", overview.my_page, name="my"),
    path("calendar/", overview.my_calendar, name="my_calendar"),
    path("programs/<int:pk>/calendar/", overview.program_calendar, name="program_calendar"),
    path("programs/<int:pk>/events/", overview.event_list, name="event_list"),
    path("programs/<int:pk>/plans-order/", overview.plans_order, name="plans_order"),
    path("events/<int:pk>/", overview.event_detail, name="event_detail"),
    path(
        "events/<int:pk>/preferences/new/",
        overview.event_preference_campaign,
        name="event_preference_campaign",
    ),
    # Pieces of the surveys app's campaign pages, loaded by HTMX.
    path("surveys/campaigns/", surveys.campaign_meetings, name="campaign_meetings"),
    path("surveys/campaigns/<int:pk>/", surveys.campaign_links, name="campaign_links"),
    path("events/<int:pk>/edit/", overview.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", overview.event_delete, name="event_delete"),
    path("events/<int:pk>/<slug:action>/", overview.event_action, name="event_action"),
    path("<int:pk>/", groups.group_detail, name="group_detail"),
    path("<int:pk>/end/", groups.group_end, name="group_end"),
    path("<int:pk>/complete/", work.group_complete, name="group_complete"),
    path("<int:pk>/history/", work.group_history, name="group_history"),
    path("<int:pk>/members/<int:membership_pk>/remove/", groups.mentee_remove, name="mentee_remove"),
    path("<int:pk>/plan/", work.plan_detail, name="plan"),
    path("<int:pk>/plan/create/", work.plan_create, name="plan_create"),
    path("<int:pk>/plan/tasks/<int:task_pk>/tick/", work.task_tick, name="task_tick"),
    path("<int:pk>/plan/<slug:action>/", work.plan_action, name="plan_action"),
    path("<int:pk>/meetings/", work.meeting_list, name="meeting_list"),
    path("<int:pk>/meetings/new/", work.meeting_new, name="meeting_new"),
    path("<int:pk>/meetings/held/", work.meeting_held, name="meeting_held"),
    path("<int:pk>/meetings/opening/", work.meeting_opening, name="meeting_opening"),
    path("<int:pk>/meetings/<int:meeting_pk>/", work.meeting_detail, name="meeting_detail"),
    path("<int:pk>/meetings/<int:meeting_pk>/edit/", work.meeting_edit, name="meeting_edit"),
    path("<int:pk>/meetings/<int:meeting_pk>/<slug:action>/", work.meeting_action, name="meeting_action"),
    path("<int:pk>/feedback/", work.feedback, name="feedback"),
    path("<int:pk>/report/", work.report, name="report"),
]
