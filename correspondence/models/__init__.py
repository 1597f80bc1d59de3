"""The letters, their stored files and their delivery ledger, one module per family of models."""

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
from .stored import DatabaseStorage, StoredFile, StoredFileQuerySet, annex_storage

__all__ = [
    "DatabaseStorage", "Delivery", "DeliveryQuerySet", "Enclosure", "FollowUp", "Letter",
    "LetterIsRecord", "LetterQuerySet", "Letterhead", "LockedWithLetterMixin", "PaperSize",
    "Signatory", "StoredFile", "StoredFileQuerySet", "annex_storage", "annex_upload_to",
    "letter_is_locked",
]
