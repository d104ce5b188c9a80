"""The matching engine: stable pairs and groups from preferences and profiles.

No Telegram here: `/pairs` loads the round from the database, calls `run_matching` and
shows the result; `python -m bot match INSTANCE.json` runs the same code offline.
"""

from .compatibility import MAX_POINTS, compatibility_score
from .engine import (
    PreferenceLists,
    constraint_violations,
    deferred_acceptance,
    effective_preferences,
    pair_form,
    placement_violations,
    run_matching,
    stable_matching,
    suggest_mentors,
)
from .models import (
    DEFAULT_COMPLETION_LENGTH,
    MatchingInputError,
    MatchingInstance,
    MatchingResult,
    MenteeInput,
    MenteeProfile,
    MentorInput,
    MentorProfile,
    ParticipantId,
    ProposedGroup,
    Unmatched,
    validate_instance,
)

__all__ = [
    "DEFAULT_COMPLETION_LENGTH",
    "MAX_POINTS",
    "MatchingInputError",
    "MatchingInstance",
    "MatchingResult",
    "MenteeInput",
    "MenteeProfile",
    "MentorInput",
    "MentorProfile",
    "ParticipantId",
    "PreferenceLists",
    "ProposedGroup",
    "Unmatched",
    "compatibility_score",
    "constraint_violations",
    "deferred_acceptance",
    "effective_preferences",
    "pair_form",
    "placement_violations",
    "run_matching",
    "stable_matching",
    "suggest_mentors",
    "validate_instance",
]
