from django.urls import path

from . import public_views

app_name = "surveys_public"
urlpatterns = [
    path("<str:token>/", public_views.respond, name="respond"),
    path("<str:token>/q/<int:question_id>/", public_views.autosave, name="autosave"),
]
