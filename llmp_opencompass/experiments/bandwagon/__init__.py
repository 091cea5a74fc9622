"""The bandwagon (Asch line-judgement conformity) replication, without OpenCompass.

- :mod:`.trials`: the 18 stimuli (``data/bandwagon_trials.json``);
- :mod:`.session`: the conversation of one session, its seed, and a runner;
- :mod:`.records`: one answered trial; :mod:`.metrics`: conformity metrics and Asch's baseline.

The reply parser is :func:`llmp_opencompass.scoring.line_choice.parse_line`.
"""

from .metrics import HUMAN_BASELINE, METRICS, ConformityMetrics, HumanBaseline, conformity_metrics
from .records import TrialRecord
from .session import (
    CONDITIONS,
    GROUP_SIZE,
    Condition,
    check_condition,
    run_session,
    scene_message,
    session_seed,
    trial_message,
)
from .trials import LINES, Trial, format_length, load_trials

__all__ = [
    "CONDITIONS",
    "GROUP_SIZE",
    "HUMAN_BASELINE",
    "LINES",
    "METRICS",
    "Condition",
    "ConformityMetrics",
    "HumanBaseline",
    "Trial",
    "TrialRecord",
    "check_condition",
    "conformity_metrics",
    "format_length",
    "load_trials",
    "run_session",
    "scene_message",
    "session_seed",
    "trial_message",
]
