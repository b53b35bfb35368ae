from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("feed/<str:action>/", views.feed_action, name="feed_action"),
    path("meeting/<int:pk>/<int:meeting_pk>.ics", views.meeting_ics, name="meeting_ics"),
    path("event/<int:pk>.ics", views.event_ics, name="event_ics"),
]
