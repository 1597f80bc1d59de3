"""The letters, their stored files and their delivery ledger, one module per family of models."""

from .ledger import Delivery, DeliveryQuerySet, FollowUp
from .letters import (
    ArtworkPlacement,
    Enclosure,
    Letter,
    Letterhead,
    LetterIsRecord,
    LetterQuerySet,
    LockedWithLetterMixin,
    PaperSize,
    Sender,
    Signatory,
    annex_upload_to,
    letter_is_locked,
    sender_artwork_snapshot,
)
from .stored import DatabaseStorage, StoredFile, StoredFileQuerySet, annex_storage

__all__ = [
    "ArtworkPlacement", "DatabaseStorage", "Delivery", "DeliveryQuerySet", "Enclosure",
    "FollowUp", "Letter",
    "LetterIsRecord", "LetterQuerySet", "Letterhead", "LockedWithLetterMixin", "PaperSize",
    "Sender", "Signatory", "StoredFile", "StoredFileQuerySet", "annex_storage", "annex_upload_to",
    "letter_is_locked", "sender_artwork_snapshot",
]
