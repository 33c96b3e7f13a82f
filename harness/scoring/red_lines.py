"""Red lines: (party, issue, position). Party and issue must match; the position is compared
like claim content.

Credit for a pair whose party and issue match: `wrong_position_credit` (default 0.5) when the
position does not match ("partial"), and credit + (1 - credit) * position similarity when it
does, so an exact position earns 1. A red line whose issue and position match but whose party
does not earns nothing (misattribution).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from harness.scoring.align import align
from harness.scoring.content import compare_statements, overlap
from harness.scoring.context import ArticleContext
from harness.scoring.fieldbase import explanation, field_score, paired_explanations, unmatched_pred
from harness.scoring.grounding import check_content, check_name, check_quote, item
from harness.scoring.metrics import share
from harness.scoring.models import FieldScore, ItemExplanation, ItemGrounding, Label
from harness.scoring.quotes import shared_quotes
from harness.summary import RedLine


def _text(r: RedLine) -> str:
    return f"{r.party} / {r.issue}: {r.position}"


class RedLineScorer:
    name = "red_lines"

    def ground(self, items: Sequence[RedLine], ctx: ArticleContext) -> list[ItemGrounding]:
        out = []
        for j, r in enumerate(items):
            checks = [check_name(r.party, ctx), check_content(f"{r.issue}. {r.position}", ctx)]
            if r.speaker:
                checks.append(check_name(r.speaker, ctx))
            if r.quote:
                checks.append(check_quote(r.quote, ctx))
            out.append(item(j, _text(r), checks))
        return out

    def score(
        self, gold: Sequence[RedLine], pred: Sequence[RedLine], ctx: ArticleContext
    ) -> FieldScore:
        config = ctx.config.red_lines
        shape = (len(gold), len(pred))
        party = np.zeros(shape, dtype=bool)
        issue = np.zeros(shape)
        # The predicted issue names something the gold line is about (its issue or position):
        # the same topic, worded narrowly on one side and broadly on the other.
        issue_named = np.zeros(shape, dtype=bool)
        for i, g in enumerate(gold):
            for j, p in enumerate(pred):
                party[i, j] = ctx.same_entity(g.party, p.party).matched
                issue[i, j] = overlap(ctx.analysis(g.issue), ctx.analysis(p.issue))
                line = ctx.analysis(g.issue).stems | ctx.analysis(g.position).stems
                issue_named[i, j] = bool(ctx.analysis(p.issue).stems & line)
        positions = compare_statements(
            [ctx.analysis(r.position) for r in gold],
            [ctx.analysis(r.position) for r in pred],
            ([r.position for r in gold], [r.position for r in pred]),
            polarity_guard=ctx.config.content.polarity_guard,
            weights=ctx.stem_weights,
            judge=ctx.judge,
            judge_candidate_threshold=ctx.config.claims.judge_candidate_threshold,
            judge_pairs=party & (issue >= config.issue_threshold),
        )
        quoted = shared_quotes(
            [r.quote for r in gold],
            [r.quote for r in pred],
            min_words=ctx.config.claims.quote_min_words,
            min_overlap=ctx.config.claims.quote_min_overlap,
        )
        position_ok = positions.sim >= config.position_threshold
        # The issue names the line narrowly or broadly; a position that states the same line
        # (or the same quote) and names the other's issue shows it is one line, however the
        # issues are worded. An issue the positions never mention is another line.
        issue_ok = (issue >= config.issue_threshold) | (
            ((positions.sim >= config.position_carries_issue) | quoted) & issue_named
        )
        half = config.wrong_position_credit
        credit = np.where(position_ok, half + (1 - half) * positions.sim, half)
        credit = np.where(party & issue_ok, credit, 0.0)
        alignment = align(credit, 1e-9)
        # Among what is left, issue and position right but party wrong: a misattribution.
        gold_free = np.array([k is None for k in alignment.gold_partner], dtype=bool)
        pred_free = np.array([k is None for k in alignment.pred_partner], dtype=bool)
        left = gold_free[:, None] & pred_free[None, :]
        wrong_party = left & issue_ok & position_ok & ~party
        misattributed = align(np.where(wrong_party, positions.sim, 0.0), 1e-9)

        explanations: list[ItemExplanation] = []
        for i, j, c in alignment.pairs:
            components = {"party": 1.0, "issue": issue[i, j], "position": positions.sim[i, j]}
            label: Label
            if position_ok[i, j]:
                label = "match"
                reason = f"same party and issue, position similarity {positions.sim[i, j]:.2f}"
                if issue[i, j] < config.issue_threshold:
                    reason = (
                        f"same party, the same line worded differently (issue similarity "
                        f"{issue[i, j]:.2f}, position {positions.sim[i, j]:.2f}"
                        f"{', same quote' if quoted[i, j] else ''})"
                    )
            else:
                label = "partial"
                reason = f"same party and issue, but the position differs: credit {half:g}"
                if positions.conflict[i][j]:
                    reason += " (opposite polarity)"
            explanations += paired_explanations(
                i,
                _text(gold[i]),
                j,
                _text(pred[j]),
                label,
                reason,
                similarity=c,
                components=components,
            )
        for i, j, _ in misattributed.pairs:
            reason = f"same issue and position, but the party is {pred[j].party!r}, "
            reason += f"not {gold[i].party!r}"
            components = {"party": 0.0, "issue": issue[i, j], "position": positions.sim[i, j]}
            explanations += paired_explanations(
                i,
                _text(gold[i]),
                j,
                _text(pred[j]),
                "misattribution",
                reason,
                components=components,
            )
        for i, g in enumerate(gold):
            if alignment.gold_partner[i] is None and misattributed.gold_partner[i] is None:
                explanations.append(
                    explanation("gold", i, _text(g), "omission", "no predicted red line matches")
                )
        for j, p in enumerate(pred):
            if alignment.pred_partner[j] is None and misattributed.pred_partner[j] is None:
                label, reason = unmatched_pred(ctx, self.name, j)
                explanations.append(explanation("pred", j, _text(p), label, reason))
        right = sum(bool(position_ok[i, j]) for i, j, _ in alignment.pairs)
        extra = {"position_accuracy": share(right, len(alignment.pairs))}
        credits = [c for _, _, c in alignment.pairs]
        return field_score(self.name, len(gold), len(pred), credits, explanations, extra)


__all__ = ["RedLineScorer"]
