"""The app's models, as Django finds them (``<app>.models``): each is defined in the
sub-package of its area of work (docs/0032-teaching-app.md)."""

from practica.teaching.directory.models import (
    ConsentKind,
    ContributorConsent,
    Expertise,
    ExpressionOfInterest,
    LivedExperienceContributor,
    PractitionerDiversity,
    PractitionerStatus,
    PractitionerTeacher,
    ReadinessRule,
    Shadowing,
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
    "ConsentKind",
    "ContributorConsent",
    "Expertise",
    "ExpressionOfInterest",
    "LivedExperienceContributor",
    "PractitionerDiversity",
    "PractitionerStatus",
    "PractitionerTeacher",
    "ReadinessRule",
    "SessionContributor",
    "SessionKind",
    "SessionStatus",
    "Shadowing",
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
