"""The security log (logins, refused writes, account changes): one logger, one format."""

import logging

security_log = logging.getLogger("yangquan.security")


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def log_refused_write(*, request, reason: str = "") -> None:
    """A write someone was not allowed to make: who, what, from where, and why."""
    if request is None or request.method in ("GET", "HEAD", "OPTIONS"):
        return
    user = getattr(request, "user", None)
    security_log.warning(
        "refused write user=%s method=%s path=%s address=%s reason=%s",
        getattr(user, "username", "") or "-",
        request.method,
        request.path,
        client_address(request),
        reason,
    )
