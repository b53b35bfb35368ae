from django.contrib import admin

from .models import (
    Campaign,
    CampaignExclusion,
    Question,
    Questionnaire,
    Section,
)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


class QuestionInline(admin.StackedInline):
    model = Question
    fk_name = "questionnaire"
    extra = 0
    raw_id_fields = ["section", "condition_question"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "program", "version", "is_latest")
    list_filter = ("kind", "is_latest")
    search_fields = ["title"]
    raw_id_fields = ["program", "source", "created_by"]
    inlines = [SectionInline, QuestionInline]


class ExclusionInline(admin.TabularInline):
    model = CampaignExclusion
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "questionnaire", "deadline", "in_app")
    list_filter = ("in_app",)
    raw_id_fields = ["program", "questionnaire", "created_by"]
    inlines = [ExclusionInline]
