from django.urls import path

from .views import campaigns, questionnaires, tags

app_name = "surveys"
urlpatterns = [
    path("", questionnaires.questionnaire_list, name="questionnaire_list"),
    path("forms/new/", questionnaires.questionnaire_create, name="questionnaire_create"),
    path("forms/<int:pk>/", questionnaires.builder, name="builder"),
    path("forms/<int:pk>/copy/", questionnaires.questionnaire_copy, name="questionnaire_copy"),
    path("forms/<int:pk>/settings/", questionnaires.questionnaire_settings, name="questionnaire_settings"),
    path("forms/<int:pk>/sections/new/", questionnaires.section_add, name="section_add"),
    path("forms/<int:pk>/preview/", questionnaires.preview, name="preview"),
    path("forms/<int:pk>/blank.pdf", questionnaires.blank_pdf, name="blank_pdf"),
    path("sections/<int:pk>/edit/", questionnaires.section_edit, name="section_edit"),
    path("sections/<int:pk>/delete/", questionnaires.section_delete, name="section_delete"),
    path("sections/<int:pk>/questions/new/", questionnaires.question_add, name="question_add"),
    path("questions/<int:pk>/edit/", questionnaires.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", questionnaires.question_delete, name="question_delete"),
    path("questions/<int:pk>/move/<str:direction>/", questionnaires.question_move, name="question_move"),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/recipients/", campaigns.campaign_recipients, name="campaign_recipients"),
    path("campaigns/<int:pk>/invite/", campaigns.campaign_invite, name="campaign_invite"),
    path("campaigns/<int:pk>/deadline/", campaigns.campaign_deadline, name="campaign_deadline"),
    path("campaigns/<int:pk>/links/", campaigns.campaign_links, name="campaign_links"),
    path("campaigns/<int:pk>/print/", campaigns.campaign_print, name="campaign_print"),
    path("campaigns/<int:pk>/results/", campaigns.campaign_results, name="campaign_results"),
    path("campaigns/<int:pk>/export.xlsx", campaigns.campaign_export, name="campaign_export"),
    path("responses/<int:pk>/", campaigns.response_detail, name="response_detail"),
    path("people/<int:pk>/", campaigns.person_answers, name="person_answers"),
    path("people/<int:pk>/card/", campaigns.person_answers_card, name="person_answers_card"),
    path("people/<int:pk>/tags/", tags.person_tag_suggestions, name="person_tag_suggestions"),
]
