"""The letters and their delivery ledger, one module per family of models."""

from .ledger import Delivery, DeliveryQuerySet, FollowUp
from .letters import (
    Enclosure,
    Letter,
    Letterhead,
    LetterIsRecord,
    LetterQuerySet,
    LockedWithLetterMixin,
    PaperSize,
    Signatory,
    annex_upload_to,
    letter_is_locked,
)

__all__ = [
    "Delivery", "DeliveryQuerySet", "Enclosure", "FollowUp", "Letter", "LetterIsRecord",
    "LetterQuerySet", "Letterhead", "LockedWithLetterMixin", "PaperSize", "Signatory",
    "annex_upload_to", "letter_is_locked",
]
