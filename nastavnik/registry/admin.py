from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import Category, Consent, GuardianLink, Participation, Person, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "code")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "vocabulary")
    list_filter = ("vocabulary",)
    search_fields = ["name"]


class ConsentInline(admin.TabularInline):
    model = Consent
    fk_name = "subject"
    extra = 0
    raw_id_fields = ["representative", "recorded_by"]
    # The scan is a private file with no URL: the card's view serves it after checking access.
    exclude = ["document"]
    readonly_fields = ["scan"]

    @admin.display(description="скан")
    def scan(self, consent: Consent) -> str:
        if not consent.pk or not consent.document:
            return "—"
        return format_html('<a href="{}">скан</a>', reverse("registry:consent_document", args=[consent.pk]))


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "middle_name", "kind", "organisation", "grade", "class_letter")
    list_filter = ("kind", "organisation")
    search_fields = ["last_name", "first_name", "email"]
    raw_id_fields = ["user"]
    filter_horizontal = ["categories"]
    inlines = [ConsentInline]


@admin.register(GuardianLink)
class GuardianLinkAdmin(admin.ModelAdmin):
    raw_id_fields = ["child", "guardian"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("person", "program", "role", "status")
    list_filter = ("role", "status")
    raw_id_fields = ["person"]
