"""Checking the scorer against people: human alignments of realistic model answers, and how
often evalsum's decisions agree with them (`evalsum scorer-check`)."""

from harness.metaeval.alignment import Alignment, Case, Pair, load_set
from harness.metaeval.check import CaseCheck, Disagreement, check_case
from harness.metaeval.summary import Floors, ScorerCheck, render_table, summarise

__all__ = [
    "Alignment",
    "Case",
    "CaseCheck",
    "Disagreement",
    "Floors",
    "Pair",
    "ScorerCheck",
    "check_case",
    "load_set",
    "render_table",
    "summarise",
]
