from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["region", "municipality", "organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Дополнительно", {"fields": ("middle_name", "must_set_password")}),
    )
    inlines = [RoleAssignmentInline]
    list_display = ("username", "last_name", "first_name", "email", "is_staff")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "municipality", "organisation")
    list_filter = ("role",)
    autocomplete_fields = ["user", "region", "municipality", "organisation"]
