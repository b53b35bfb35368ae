from django.urls import path

from .views import public

# The no-login pages of personal links have their own URL namespace (mounted at /a/), so they
# keep their own urls module.
app_name = "surveys_public"
urlpatterns = [
    path("<str:token>/", public.respond, name="respond"),
    path("<str:token>/q/<int:question_id>/", public.autosave, name="autosave"),
]
