"""The letters, their stored files, schedule notices, subscriptions and the delivery ledger,
one module per family of models."""

from .ledger import Delivery, DeliveryQuerySet, FollowUp
from .letters import (
    LETTER_REFERENCES,
    PROTECT_RECORDS,
    SENDER_SNAPSHOT,
    ArtworkPlacement,
    Enclosure,
    Letter,
    LetterCluster,
    LetterDocument,
    Letterhead,
    LetterIsRecord,
    LetterMeeting,
    LetterQuerySet,
    LetterRecipient,
    LockedWithLetterMixin,
    PaperSize,
    Sender,
    Signatory,
    annex_upload_to,
    letter_is_locked,
    sender_snapshot,
)
from .notices import NoticeLine, ScheduleNotice
from .stored import DatabaseStorage, StoredFile, StoredFileQuerySet, annex_storage
from .subscriptions import ConfirmationMessage, RateLimitKey, Subscription

__all__ = [
    "LETTER_REFERENCES", "PROTECT_RECORDS", "SENDER_SNAPSHOT",
    "ArtworkPlacement", "ConfirmationMessage", "DatabaseStorage", "Delivery",
    "DeliveryQuerySet", "Enclosure", "FollowUp", "Letter",
    "LetterCluster", "LetterDocument", "LetterIsRecord", "LetterMeeting", "LetterQuerySet",
    "LetterRecipient", "Letterhead", "LockedWithLetterMixin", "NoticeLine", "PaperSize",
    "RateLimitKey", "ScheduleNotice", "Sender", "Signatory", "StoredFile", "StoredFileQuerySet",
    "Subscription",
    "annex_storage", "annex_upload_to",
    "letter_is_locked", "sender_snapshot",
]
