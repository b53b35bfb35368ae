from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """The log of every message: what went where, how many attempts, the last error."""

    list_display = (
        "created_at",
        "channel",
        "kind",
        "recipient",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    )
    list_filter = ("status", "channel", "kind")
    search_fields = ["subject", "recipient__username"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["created_at", "sent_at", "attempts", "last_error"]
