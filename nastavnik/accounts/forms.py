from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    public_computer = forms.BooleanField(
        label="Чужой компьютер",
        required=False,
        help_text="Выйти из системы, когда браузер будет закрыт.",
    )
