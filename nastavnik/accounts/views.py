"""Getting into an account: a login slip's code, an invitation link, the first password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import services
from .forms import LoginForm, NewPasswordForm, SlipLoginForm
from .http import AuthenticatedHttpRequest


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        if form.cleaned_data.get("public_computer"):
            # On someone else's computer the session ends when the browser closes.
            self.request.session.set_expiry(0)
        return response


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@never_cache
@sensitive_post_parameters("code")
def slip_login(request: HttpRequest) -> HttpResponse:
    """Sign in with the login and the one-time code of a printed slip (the slip's QR code opens
    this page with both filled in); then the person sets their own password."""
    form = SlipLoginForm(request.POST or None, initial={"username": request.GET.get("login", "")})
    if request.method == "GET" and request.GET.get("code"):
        form = SlipLoginForm(initial={"username": request.GET.get("login", ""), "code": request.GET["code"]})
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], access_code=form.cleaned_data["code"]
        )
        if user is not None:
            login(request, user)
            return redirect("password_setup")
        form.add_error(None, "Неверный логин или код, либо код уже использован или его срок истёк.")
    return render(request, "accounts/slip_login.html", {"form": form})


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation e-mail: set a password and come in. Opening the link spends
    nothing (mail scanners open links); setting the password does."""
    code = services.invitation_find(token)
    if code is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = NewPasswordForm(code.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, "Пароль задан. Добро пожаловать в «Наставник»!")
            return redirect("home")
    return render(request, "accounts/password_setup.html", {"form": form, "account": code.user})


@never_cache
@login_required
@sensitive_post_parameters("new_password1", "new_password2")
def password_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The first page of a new account: its owner chooses their own password."""
    user = request.user
    target = _next_url(request)
    if not user.must_set_password:
        return redirect(target or "home")
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set_own(acting_user=user, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "Пароль задан. Теперь входите с логином и этим паролем.")
            return redirect(target or "home")
    return render(request, "accounts/password_setup.html", {"form": form, "account": user, "next": target})
