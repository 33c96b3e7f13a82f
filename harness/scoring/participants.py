"""Participants: matched by name (exact alias, unambiguous surname, or fuzzy), then role.

The pair similarity is the name match score. Role, affiliation and kind are scored separately
and more strictly over the matched pairs (extra metrics), so a model is not denied credit for
naming a participant because it titled them differently, but the difference is still measured.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz

from harness.scoring.align import align
from harness.scoring.context import ArticleContext
from harness.scoring.fieldbase import explanation, field_score, paired_explanations, unmatched_pred
from harness.scoring.grounding import check_name, item
from harness.scoring.metrics import share
from harness.scoring.models import FieldScore, ItemExplanation, ItemGrounding
from harness.scoring.names import NameMatch
from harness.scoring.tokens import PLACES, STOPWORDS, words
from harness.summary import Participant


@functools.lru_cache(maxsize=1 << 14)  # pure; roles and affiliations recur
def _key(text: str, *, ignore_places: bool) -> str:
    # Word order and function words do not count; demonyms are folded into country names.
    kept = (w for w in words(text) if w not in STOPWORDS)
    return " ".join(sorted(w for w in kept if not (ignore_places and w in PLACES)))


def same_text(gold: str, pred: str, cutoff: float, *, ignore_places: bool = False) -> bool:
    """Whether two short descriptions (a role, an affiliation) say the same, strictly.

    With `ignore_places`, "President of China", "Chinese president" and "President" agree: the
    country is the affiliation's business, scored on its own. A role that is nothing but a
    country keeps it, so two such roles are not equal merely by being emptied.
    """
    g, p = _key(gold, ignore_places=ignore_places), _key(pred, ignore_places=ignore_places)
    if ignore_places and not (g and p):
        g, p = _key(gold, ignore_places=False), _key(pred, ignore_places=False)
    return fuzz.token_sort_ratio(g, p) >= cutoff * 100


class ParticipantScorer:
    name = "participants"

    def ground(self, items: Sequence[Participant], ctx: ArticleContext) -> list[ItemGrounding]:
        return [
            item(j, p.name, [check_name(s, ctx) for s in (p.name, *p.aliases)], any_of=True)
            for j, p in enumerate(items)
        ]

    def score(
        self, gold: Sequence[Participant], pred: Sequence[Participant], ctx: ArticleContext
    ) -> FieldScore:
        sim = np.zeros((len(gold), len(pred)))
        how: dict[tuple[int, int], tuple[str, NameMatch]] = {}
        ambiguous: dict[int, str] = {}
        matcher = ctx.matcher_for(gold)
        for j, p in enumerate(pred):
            for surface in (p.name, *p.aliases):
                found = matcher.candidates(surface)
                if not found and matcher.resolve(surface).how == "ambiguous":
                    ambiguous.setdefault(j, surface)
                for i, match in found.items():
                    if match.score > sim[i, j]:
                        sim[i, j] = match.score
                        how[(i, j)] = (surface, match)
        alignment = align(sim, ctx.config.participants.threshold)

        explanations: list[ItemExplanation] = []
        roles, affiliations, kinds = [0, 0], [0, 0], [0, 0]  # [right, counted]
        for i, j, s in alignment.pairs:
            g, p = gold[i], pred[j]
            surface, match = how[(i, j)]
            notes = []
            for label, tally, right in (
                ("role", roles, self._role_right(g, p, ctx)),
                ("affiliation", affiliations, self._affiliation_right(g, p, ctx)),
                ("kind", kinds, g.kind == p.kind),
            ):
                if right is None:
                    continue
                tally[1] += 1
                tally[0] += int(right)
                if not right:
                    notes.append(f"{label} differs: {getattr(p, label)!r} vs {getattr(g, label)!r}")
            reason = match.describe(surface) + ("; " + "; ".join(notes) if notes else "")
            explanations += paired_explanations(
                i, g.name, j, p.name, "match", reason, similarity=s, components={"name": s}
            )
        for i, g in enumerate(gold):
            if alignment.gold_partner[i] is None:
                explanations.append(
                    explanation("gold", i, g.name, "omission", "no predicted participant names it")
                )
        for j, p in enumerate(pred):
            if alignment.pred_partner[j] is None:
                label, reason = unmatched_pred(ctx, self.name, j)
                if j in ambiguous:
                    reason = f"'{ambiguous[j]}' is ambiguous among the gold participants; {reason}"
                explanations.append(explanation("pred", j, p.name, label, reason))
        extra = {
            "role_accuracy": share(*roles),
            "affiliation_accuracy": share(*affiliations),
            "kind_accuracy": share(*kinds),
        }
        credits = [s for _, _, s in alignment.pairs]
        return field_score(self.name, len(gold), len(pred), credits, explanations, extra)

    @staticmethod
    def _role_right(gold: Participant, pred: Participant, ctx: ArticleContext) -> bool | None:
        if gold.role is None:
            return None  # gold does not say: nothing to judge
        if pred.role is None:
            return False
        cutoff = ctx.config.participants.role_cutoff
        return same_text(gold.role, pred.role, cutoff, ignore_places=True)

    @staticmethod
    def _affiliation_right(
        gold: Participant, pred: Participant, ctx: ArticleContext
    ) -> bool | None:
        if gold.affiliation is None:
            return None
        if pred.affiliation is None:
            return False
        if same_text(gold.affiliation, pred.affiliation, ctx.config.participants.role_cutoff):
            return True
        # "Beijing" for "China": the same gold participant under another of its names.
        return ctx.same_entity(gold.affiliation, pred.affiliation).matched


__all__ = ["ParticipantScorer", "same_text"]
