"""The app's models, as Django finds them (``<app>.models``): each is defined in the
sub-package of its area of work (docs/0032-teaching-app.md)."""

from practica.teaching.directory.models import (
    Expertise,
    LivedExperienceContributor,
    PractitionerStatus,
    PractitionerTeacher,
)
from practica.teaching.sessions.models import (
    NominatedContact,
    OfferLink,
    OfferStatus,
    PeerObservation,
    RequestOffer,
    RequestStatus,
    SessionContributor,
    SessionKind,
    SessionStatus,
    TeachingRequest,
    TeachingSession,
)

__all__ = [
    "Expertise",
    "LivedExperienceContributor",
    "PractitionerStatus",
    "PractitionerTeacher",
    "SessionContributor",
    "SessionKind",
    "SessionStatus",
    "TeachingSession",
]
# the request protocol and quality (sessions/)
__all__ += [
    "NominatedContact",
    "OfferLink",
    "OfferStatus",
    "PeerObservation",
    "RequestOffer",
    "RequestStatus",
    "TeachingRequest",
]
