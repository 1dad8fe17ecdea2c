"""The app's own ability names and reader roles, which ``rules.py`` grants (and re-exports).

They live apart from ``rules.py`` because the rules name the sub-packages' models while the
sub-packages' selectors ask for these abilities: one module holding both would make an
import cycle.
"""

from __future__ import annotations

from practica.accounts.grants import COORDINATORS
from practica.accounts.models import Role

# read the partnership's shared register of PEPS Stage 2 practice educators (limited fields)
SHARED_REGISTER = "shared_register"
# apply to become a practice educator (one's own applications); score as a panel member
APPLY, SCORE = "apply", "score"
# tell the coordinators of a change to one's own register entry, for them to accept
REPORT_CHANGE = "report_change"

# An HEI academic reads the PEs their own organisation employs; a coordinator keeps them.
READERS = COORDINATORS | {Role.ACADEMIC}
