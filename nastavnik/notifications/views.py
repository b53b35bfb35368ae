"""«Уведомления» (from «Мой кабинет»): what to receive where, linking Telegram through the bot's
deep link and unlinking it, the user's last messages; and the bot's webhook."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest

from . import services
from .access import bot_configured, own_choices_of, own_link_of, own_messages_for
from .bot import handle_update
from .models import Channel, Kind

RECENT = 20


@login_required
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    with_bot = bot_configured()
    channels = [c for c in Channel if c != Channel.TELEGRAM or with_bot]
    if request.method == "POST":
        chosen = {
            (kind, channel)
            for kind in Kind.values
            for channel in Channel.values
            if f"{kind}:{channel}" in request.POST or (channel not in channels)
        }
        services.preferences_set(acting_user=request.user, chosen=chosen)
        messages.success(request, "Выбор уведомлений сохранён.")
        return redirect("notifications:settings")
    choices = own_choices_of(request.user)
    rows = [
        (
            kind,
            [
                (channel, f"{kind.value}:{channel.value}", choices.get((kind, channel), True))
                for channel in channels
            ],
        )
        for kind in Kind
    ]
    return render(
        request,
        "notifications/settings.html",
        {
            "rows": rows,
            "channels": channels,
            "with_bot": with_bot,
            "link": own_link_of(request.user),
            "recent": list(own_messages_for(request.user)[:RECENT]),
        },
    )


@login_required
@require_POST
def telegram_action(request: AuthenticatedHttpRequest, action: str) -> HttpResponse:
    if not bot_configured():
        messages.error(request, "Бот Telegram не настроен: уведомления приходят по электронной почте.")
        return redirect("notifications:settings")
    if action == "unlink":
        services.telegram_unlink(acting_user=request.user)
        messages.success(request, "Telegram отвязан: уведомления туда больше не придут.")
        return redirect("notifications:settings")
    code = services.telegram_link_code(acting_user=request.user)
    return redirect(f"https://t.me/{settings.TELEGRAM_BOT_NAME}?start={code.code}")


@csrf_exempt
@require_POST
def telegram_webhook(request: HttpRequest) -> HttpResponse:
    secret = settings.TELEGRAM_WEBHOOK_SECRET
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not secret or not bot_configured() or not hmac.compare_digest(secret, given):
        return HttpResponseForbidden("Неверный секрет")
    try:
        update = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"ok": False}, status=400)
    return JsonResponse({"ok": True, "result": handle_update(update if isinstance(update, dict) else {})})
