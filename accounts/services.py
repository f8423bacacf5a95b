"""Writes for accounts, and the security log."""

import logging

security_log = logging.getLogger("yangquan.security")


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def log_refused_write(*, request, reason: str = "") -> None:
    if request is None or request.method in ("GET", "HEAD", "OPTIONS"):
        return
    user = getattr(request, "user", None)
    security_log.warning(
        "refused write user=%s method=%s path=%s address=%s reason=%s",
        getattr(user, "username", "") or "-",
        request.method,
        request.path,
        _client_address(request),
        reason,
    )
