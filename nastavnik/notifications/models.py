"""One notification layer: the outbox (one row per message and channel — the log of what was
sent, retried or given up), the user's choice of what to receive where, and their Telegram link."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Электронная почта"
    TELEGRAM = "telegram", "Telegram"


class Kind(models.TextChoices):
    MEETING_REMINDER = "meeting_reminder", "Напоминания о встречах и мероприятиях"
    NEW_SURVEY = "new_survey", "Новые анкеты и напоминания о них"
    PLAN_DECISION = "plan_decision", "План утверждён или возвращён на доработку"
    ROADMAP_OVERDUE = "roadmap_overdue", "Сроки и просроченные мероприятия дорожной карты"
    PAIR_CONFIRMED = "pair_confirmed", "Пара (группа) сформирована"
    AGREEMENT_RENEWAL = "agreement_renewal", "Истекающие соглашения с партнёрами"


class Status(models.TextChoices):
    PENDING = "pending", "Ждёт отправки"
    SENT = "sent", "Отправлено"
    FAILED = "failed", "Не удалось отправить"


class Message(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="получатель (пользователь)",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    address = models.CharField("адрес (почта или чат)", max_length=254)
    channel = models.CharField("канал", max_length=20, choices=Channel.choices)
    kind = models.CharField("вид", max_length=30, choices=Kind.choices)
    subject = models.CharField("тема", max_length=300)
    body = models.TextField("текст")
    status = models.CharField("состояние", max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    next_attempt_at = models.DateTimeField("следующая попытка", null=True, blank=True)
    last_error = models.CharField("последняя ошибка", max_length=500, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.subject}"


class Preference(models.Model):
    """A user's choice for one kind of message on one channel; no row means «on»."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField("вид", max_length=30, choices=Kind.choices)
    channel = models.CharField("канал", max_length=20, choices=Channel.choices)
    enabled = models.BooleanField("получать", default=True)

    class Meta:
        verbose_name = "выбор уведомлений"
        verbose_name_plural = "выбор уведомлений"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        state = "получать" if self.enabled else "не получать"
        return f"{self.user}: {self.get_kind_display()} — {self.get_channel_display()}: {state}"


class TelegramLink(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="telegram_link",
    )
    chat_id = models.CharField("чат Telegram", max_length=40)
    username = models.CharField("имя в Telegram", max_length=100, blank=True)
    linked_at = models.DateTimeField("привязан", auto_now_add=True)

    class Meta:
        verbose_name = "привязка Telegram"
        verbose_name_plural = "привязки Telegram"

    def __str__(self) -> str:
        return f"Telegram {self.user}"


class LinkCode(models.Model):
    """A one-time code of the bot's deep link (`https://t.me/<bot>?start=<code>`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="пользователь", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField("код", max_length=64, unique=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    expires_at = models.DateTimeField("действует до")
    used_at = models.DateTimeField("использован", null=True, blank=True)

    class Meta:
        verbose_name = "код привязки Telegram"
        verbose_name_plural = "коды привязки Telegram"

    def __str__(self) -> str:
        return f"Код привязки {self.user}"
