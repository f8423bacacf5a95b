"""Password reset pages: by e-mail where mail is configured, else by a coordinator's link.

Both ways end on Django's PasswordResetConfirmView: the e-mailed link and the
link a coordinator issues in the admin (accounts.services.password_reset_link_issue)
are the same kind of one-time, time-limited link.
"""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.shortcuts import render

log = logging.getLogger("yangquan.security")


def _bootstrap(form):
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    return form


def _hours() -> dict:
    return {"timeout_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}


class ResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class PasswordResetView(auth_views.PasswordResetView):
    """The form asks for an e-mail address only when mail is configured; otherwise it
    explains how to get a link from the bureau. (Django logs a mail server that fails
    and still shows the "sent" page, which tells nobody whether an address exists.)"""

    form_class = ResetForm

    def dispatch(self, request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_EMAIL:
            return render(request, self.template_name, {"by_email": False, **_hours()})
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "by_email": True, **_hours()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        log.warning("password reset done user=%s", form.user.get_username())
        return response
