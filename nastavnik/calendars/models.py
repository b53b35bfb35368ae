"""A personal iCal feed: one secret address per user, revocable and renewable."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CalendarFeed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    # 256 random bits (secrets.token_urlsafe): the address is the only credential of the feed.
    token = models.CharField("секретная часть адреса", max_length=64, unique=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    last_read_at = models.DateTimeField("последнее обращение календаря", null=True, blank=True)

    class Meta:
        verbose_name = "личная ссылка календаря"
        verbose_name_plural = "личные ссылки календарей"

    def __str__(self) -> str:
        return f"Календарь {self.user}"
