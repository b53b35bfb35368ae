from django.urls import path

from . import views, views_tags

app_name = "surveys"
urlpatterns = [
    path("", views.questionnaire_list, name="questionnaire_list"),
    path("forms/new/", views.questionnaire_create, name="questionnaire_create"),
    path("forms/<int:pk>/", views.builder, name="builder"),
    path("forms/<int:pk>/copy/", views.questionnaire_copy, name="questionnaire_copy"),
    path("forms/<int:pk>/settings/", views.questionnaire_settings, name="questionnaire_settings"),
    path("forms/<int:pk>/sections/new/", views.section_add, name="section_add"),
    path("forms/<int:pk>/preview/", views.preview, name="preview"),
    path("forms/<int:pk>/blank.pdf", views.blank_pdf, name="blank_pdf"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("sections/<int:pk>/questions/new/", views.question_add, name="question_add"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("questions/<int:pk>/move/<str:direction>/", views.question_move, name="question_move"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/recipients/", views.campaign_recipients, name="campaign_recipients"),
    path("campaigns/<int:pk>/invite/", views.campaign_invite, name="campaign_invite"),
    path("campaigns/<int:pk>/deadline/", views.campaign_deadline, name="campaign_deadline"),
    path("campaigns/<int:pk>/links/", views.campaign_links, name="campaign_links"),
    path("campaigns/<int:pk>/print/", views.campaign_print, name="campaign_print"),
    path("campaigns/<int:pk>/results/", views.campaign_results, name="campaign_results"),
    path("campaigns/<int:pk>/export.xlsx", views.campaign_export, name="campaign_export"),
    path("responses/<int:pk>/", views.response_detail, name="response_detail"),
    path("people/<int:pk>/", views.person_answers, name="person_answers"),
    path("people/<int:pk>/card/", views.person_answers_card, name="person_answers_card"),
    path("people/<int:pk>/tags/", views_tags.person_tag_suggestions, name="person_tag_suggestions"),
]
