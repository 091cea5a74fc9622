"""What happened on one trial: the reply, the line it names, and whether that was right or conforming."""

from __future__ import annotations

from dataclasses import dataclass

from .trials import Trial

__all__ = ["TrialRecord"]


@dataclass(frozen=True)
class TrialRecord:
    """The subject's answer to one trial."""

    trial: Trial
    """The trial."""
    reply: str
    """What the subject said, verbatim."""
    parsed: int | None
    """The line (1-3) the reply names, or None when it names none clearly (unparsed)."""

    @property
    def answered(self) -> bool:
        """True when the reply names a line."""
        return self.parsed is not None

    @property
    def correct(self) -> bool | None:
        """The named line is the right one; None when unparsed."""
        return None if self.parsed is None else self.parsed == self.trial.correct

    @property
    def conformed(self) -> bool | None:
        """On a critical trial, the named line is the group's (wrong) one; False on neutral
        trials (agreeing with a right group is not conformity); None when unparsed."""
        return None if self.parsed is None else self.trial.critical and self.parsed == self.trial.group

    def detail(self) -> dict:
        """The record as a JSON-ready per-trial detail of the results file."""
        trial = self.trial
        return {
            "trial": trial.number,
            "critical": trial.critical,
            "standard": trial.standard,
            "lines": list(trial.lines),
            "correct_line": trial.correct,
            "group_line": trial.group,
            "reply": self.reply,
            "parsed": self.parsed,
            "correct": self.correct,
            "conformed": self.conformed,
        }
