from django.contrib import admin

from .models import Indicator, IndicatorTarget


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "short_name",
        "code",
        "population",
        "age_min",
        "age_max",
        "category",
        "numerator",
        "denominator",
        "is_active",
    ]
    list_filter = ["population", "numerator", "is_builtin", "is_active"]
    search_fields = ["name", "short_name", "code"]
    readonly_fields = ["is_builtin"]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "value", "organisation", "municipality", "region", "updated_at"]
    list_filter = ["year", "indicator"]
    raw_id_fields = ["organisation", "municipality", "region", "updated_by"]
