"""Security log of logins and failed logins (logging only; no domain state)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.security import security_log


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    security_log.info("login user=%s address=%s", user.username, _address(request))


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    security_log.info(
        "logout user=%s address=%s", getattr(user, "username", "-"), _address(request)
    )


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    security_log.warning(
        "login failed user=%s address=%s", credentials.get("username", "-"), _address(request)
    )
