"""The domain of the sessions app, one module per family of models."""

from .meetings import DEFAULT_TITLES, Meeting, MeetingChange, MeetingQuerySet
from .sessions import CoChairAppointment, GADocument, Person, Room, Session, SessionQuerySet
from .states import Mission, MissionAddress, RegionalGroup, State

__all__ = [
    "DEFAULT_TITLES", "CoChairAppointment", "GADocument", "Meeting", "MeetingChange",
    "MeetingQuerySet",
    "Mission", "MissionAddress", "Person", "RegionalGroup", "Room", "Session",
    "SessionQuerySet", "State",
]
