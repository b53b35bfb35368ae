from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.crypto import constant_time_compare

from .models import User


class LoginForm(AuthenticationForm):
    public_computer = forms.BooleanField(
        label="Чужой компьютер",
        required=False,
        help_text="Выйти из системы, когда браузер будет закрыт.",
    )


class SlipLoginForm(forms.Form):
    username = forms.CharField(label="Логин", max_length=150)
    code = forms.CharField(label="Код с листка", max_length=20)


class NewPasswordForm(SetPasswordForm):
    """Django's form for a new password (its validators on), in our labels; saving it also
    ends the «set your own password» state."""

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "Новый пароль"
        self.fields["new_password2"].label = "Пароль ещё раз"

    def save(self, commit: bool = True) -> Any:
        self.user.must_set_password = False
        return super().save(commit)


class ResetByEmailForm(PasswordResetForm):
    """Django's reset form, also for accounts whose owner has not set a password yet (a lost
    invitation): the reset link lets them set one."""

    def get_users(self, email: str) -> Iterator[Any]:
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if constant_time_compare(user.email.casefold(), email.casefold()):
                yield user
