"""Is this period's 进展情况 a copy of the previous period's? (疑似应付式填报)

Chinese has no spaces between words, so texts are compared character by character:
the normalised Indel similarity (rapidfuzz `fuzz.ratio`) of the two texts after
NFKC folding (full-width letters and digits become ASCII) and with whitespace and
punctuation removed, so that re-punctuating or re-spacing a copy does not hide it.

Settings (optional; the defaults apply when they are absent):
- `SUMMARY_COPY_THRESHOLD` (0.9): similarity from which a report looks copied;
- `SUMMARY_COPY_MIN_CHARS` (20): texts shorter than this (after normalising) are
  never flagged — "按计划推进" twice is not a copy worth reporting.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from rapidfuzz import fuzz

__all__ = ["copy_min_chars", "copy_threshold", "looks_copied", "normalise", "similarity"]

DEFAULT_THRESHOLD = 0.9
DEFAULT_MIN_CHARS = 20


def copy_threshold() -> float:
    return float(getattr(settings, "SUMMARY_COPY_THRESHOLD", DEFAULT_THRESHOLD))


def copy_min_chars() -> int:
    return int(getattr(settings, "SUMMARY_COPY_MIN_CHARS", DEFAULT_MIN_CHARS))


def normalise(text: str | None) -> str:
    """NFKC-folded, lower-cased text without whitespace, punctuation or symbols."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PSZC")


def similarity(a: str | None, b: str | None) -> float:
    """How alike two texts are, 0..1 (1 = the same after normalising).

    Two empty texts are 0.0, not 1.0: nothing written twice is "not reported",
    which the summary shows elsewhere, not a copy.
    """
    left, right = normalise(a), normalise(b)
    if not left or not right:
        return 0.0
    return fuzz.ratio(left, right) / 100.0


def looks_copied(a: str | None, b: str | None, threshold: float | None = None) -> bool:
    """True when both texts are long enough and at least `threshold` alike.

    `threshold` defaults to `settings.SUMMARY_COPY_THRESHOLD` (0.9).
    """
    if threshold is None:
        threshold = copy_threshold()
    minimum = copy_min_chars()
    if len(normalise(a)) < minimum or len(normalise(b)) < minimum:
        return False
    return similarity(a, b) >= threshold
