from django.contrib import admin

from .models import MentoringForm, Municipality, Organisation, Program, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "region")
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("short_name", "kind", "municipality")
    list_filter = ("kind", "municipality")
    search_fields = ["name", "short_name"]


@admin.register(MentoringForm)
class MentoringFormAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "program_kind", "mentor_kind", "mentee_kind", "organisation")
    list_filter = ("program_kind",)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "academic_year", "kind", "curator")
    list_filter = ("kind", "academic_year")
    filter_horizontal = ["forms"]
