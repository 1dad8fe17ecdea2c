"""The directories' own abilities and the consent conditions the rules (``teaching/rules.py``)
apply to every read of a lived-experience contributor."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from practica.teaching.directory.models import ConsentKind, ContributorConsent

# a contributor's payment preferences and accessibility needs: their university and themselves
PRIVATE_DETAILS = "private_details"
# a contributor gives or withdraws their own consent
CONSENT = "consent"
# a practitioner expresses interest in the practitioner teacher role for themselves
EXPRESS_INTEREST = "express_interest"


def _consent_in_force(kind: ConsentKind, contributor: str = "pk") -> Q:
    consents = ContributorConsent.objects.unscoped(
        "the consents of the contributor the outer, narrowed query checks"
    ).filter(contributor=OuterRef(contributor), kind=kind, withdrawn_on__isnull=True)
    return Q(Exists(consents))


# Every read of the directory goes through these: withdrawing the directory consent hides the
# contributor from every list, page, export and report at once (only they still see their entry).
LISTED = _consent_in_force(ConsentKind.DIRECTORY)
SHARED_WITH_PARTNERS = LISTED & _consent_in_force(ConsentKind.PARTNERS)

# The same for who took part in a session: a practitioner teacher's row always; a contributor's
# only while listed (their university) or sharing with partners (the local authorities).
CONTRIBUTION_LISTED = Q(contributor=None) | _consent_in_force(ConsentKind.DIRECTORY, "contributor")
CONTRIBUTION_SHARED = Q(contributor=None) | (
    _consent_in_force(ConsentKind.DIRECTORY, "contributor")
    & _consent_in_force(ConsentKind.PARTNERS, "contributor")
)
