from django.urls import path

from . import views, views_overview, views_surveys, views_work

app_name = "mentoring"
urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("board/", views_overview.board, name="board"),
    path("my/", views_overview.my_page, name="my"),
    path("calendar/", views_overview.my_calendar, name="my_calendar"),
    path("programs/<int:pk>/calendar/", views_overview.program_calendar, name="program_calendar"),
    path("programs/<int:pk>/events/", views_overview.event_list, name="event_list"),
    path("programs/<int:pk>/plans-order/", views_overview.plans_order, name="plans_order"),
    path("events/<int:pk>/", views_overview.event_detail, name="event_detail"),
    path(
        "events/<int:pk>/preferences/new/",
        views_overview.event_preference_campaign,
        name="event_preference_campaign",
    ),
    # Pieces of the surveys app's campaign pages, loaded by HTMX.
    path("surveys/campaigns/", views_surveys.campaign_meetings, name="campaign_meetings"),
    path("surveys/campaigns/<int:pk>/", views_surveys.campaign_links, name="campaign_links"),
    path("events/<int:pk>/edit/", views_overview.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", views_overview.event_delete, name="event_delete"),
    path("events/<int:pk>/<slug:action>/", views_overview.event_action, name="event_action"),
    path("<int:pk>/", views.group_detail, name="group_detail"),
    path("<int:pk>/end/", views.group_end, name="group_end"),
    path("<int:pk>/complete/", views_work.group_complete, name="group_complete"),
    path("<int:pk>/history/", views_work.group_history, name="group_history"),
    path("<int:pk>/members/<int:membership_pk>/remove/", views.mentee_remove, name="mentee_remove"),
    path("<int:pk>/plan/", views_work.plan_detail, name="plan"),
    path("<int:pk>/plan/create/", views_work.plan_create, name="plan_create"),
    path("<int:pk>/plan/tasks/<int:task_pk>/tick/", views_work.task_tick, name="task_tick"),
    path("<int:pk>/plan/<slug:action>/", views_work.plan_action, name="plan_action"),
    path("<int:pk>/meetings/", views_work.meeting_list, name="meeting_list"),
    path("<int:pk>/meetings/new/", views_work.meeting_new, name="meeting_new"),
    path("<int:pk>/meetings/held/", views_work.meeting_held, name="meeting_held"),
    path("<int:pk>/meetings/opening/", views_work.meeting_opening, name="meeting_opening"),
    path("<int:pk>/meetings/<int:meeting_pk>/", views_work.meeting_detail, name="meeting_detail"),
    path("<int:pk>/meetings/<int:meeting_pk>/edit/", views_work.meeting_edit, name="meeting_edit"),
    path(
        "<int:pk>/meetings/<int:meeting_pk>/<slug:action>/", views_work.meeting_action, name="meeting_action"
    ),
    path("<int:pk>/feedback/", views_work.feedback, name="feedback"),
    path("<int:pk>/report/", views_work.report, name="report"),
]
