"""The letters, their stored files, schedule notices, subscriptions, mission focal points and
the delivery ledger, one module per family of models."""

from .focal import FocalPoint, FocalPointInvitation, ResendRequest
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
from .schedules import ScheduledDistribution, ScheduledDistributionQuerySet
from .stored import DatabaseStorage, StoredFile, StoredFileQuerySet, annex_storage
from .subscriptions import ConfirmationMessage, RateLimitKey, Subscription

__all__ = [
    "LETTER_REFERENCES", "PROTECT_RECORDS", "SENDER_SNAPSHOT",
    "ArtworkPlacement", "ConfirmationMessage", "DatabaseStorage", "Delivery",
    "DeliveryQuerySet", "Enclosure", "FocalPoint", "FocalPointInvitation", "FollowUp", "Letter",
    "LetterCluster", "LetterDocument", "LetterIsRecord", "LetterMeeting", "LetterQuerySet",
    "LetterRecipient", "Letterhead", "LockedWithLetterMixin", "NoticeLine", "PaperSize",
    "RateLimitKey", "ResendRequest", "ScheduleNotice", "ScheduledDistribution",
    "ScheduledDistributionQuerySet", "Sender", "Signatory", "StoredFile", "StoredFileQuerySet",
    "Subscription",
    "annex_storage", "annex_upload_to",
    "letter_is_locked", "sender_snapshot",
]
