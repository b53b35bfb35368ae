from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        if form.cleaned_data.get("public_computer"):
            # On someone else's computer the session ends when the browser closes.
            self.request.session.set_expiry(0)
        return response
