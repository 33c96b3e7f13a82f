"""Claims: credited only when the speaker and the content both match.

Speaker: the shared name matcher (the two speakers name the same gold participant). Content:
lexical similarity with the polarity guard, or the LLM judge when one is given. Two further
metrics separate the two halves: content_f1 (content alone, speakers ignored) and
attribution_accuracy (of the content-matched pairs, the share with the right speaker).
A claim whose content matches but whose speaker does not is a misattribution; a predicted
claim that negates a gold claim is a hallucination (it contradicts the article).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from harness.scoring.align import align
from harness.scoring.content import ContentMatrix, compare_statements
from harness.scoring.context import ArticleContext, joint_entity_matrix
from harness.scoring.fieldbase import explanation, field_score, paired_explanations, unmatched_pred
from harness.scoring.grounding import check_content, check_name, check_quote, item
from harness.scoring.metrics import f1_ratio, share
from harness.scoring.models import FieldScore, ItemExplanation, ItemGrounding
from harness.scoring.quotes import shared_quotes
from harness.summary import Claim


def _text(c: Claim) -> str:
    return f"{c.speaker}: {c.claim}"


def _content_reason(matrix: ContentMatrix, i: int, j: int) -> str:
    if matrix.judged[i, j]:
        return "the judge finds the same proposition"
    if matrix.quoted is not None and matrix.quoted[i, j]:
        return f"the same quote (content similarity {matrix.lexical[i, j]:.2f})"
    return f"content similarity {matrix.sim[i, j]:.2f}"


def contradiction(matrix: ContentMatrix, i: int, threshold: float, axis: int) -> int | None:
    """The item on the other side that says the opposite of item `i`, if any."""
    cells = range(matrix.lexical.shape[1 - axis])
    if axis == 0:
        if not any(matrix.conflict[i]):
            return None  # the usual case: nothing on the other side says the opposite
    elif not any(row[i] for row in matrix.conflict):
        return None
    best, best_sim = None, threshold
    for k in cells:
        gi, pj = (i, k) if axis == 0 else (k, i)
        if matrix.conflict[gi][pj] and matrix.lexical[gi, pj] >= best_sim:
            best, best_sim = k, matrix.lexical[gi, pj]
    return best


class ClaimScorer:
    name = "claims"

    def ground(self, items: Sequence[Claim], ctx: ArticleContext) -> list[ItemGrounding]:
        out = []
        for j, c in enumerate(items):
            checks = [check_name(c.speaker, ctx), check_content(c.claim, ctx)]
            if c.quote:
                checks.append(check_quote(c.quote, ctx))
            out.append(item(j, _text(c), checks))
        return out

    def score(
        self, gold: Sequence[Claim], pred: Sequence[Claim], ctx: ArticleContext
    ) -> FieldScore:
        config = ctx.config.claims
        speaker = joint_entity_matrix(ctx, [g.speaker for g in gold], [p.speaker for p in pred])
        content = compare_statements(
            [ctx.analysis(c.claim) for c in gold],
            [ctx.analysis(c.claim) for c in pred],
            ([c.claim for c in gold], [c.claim for c in pred]),
            polarity_guard=ctx.config.content.polarity_guard,
            weights=ctx.stem_weights,
            judge=ctx.judge,
            judge_candidate_threshold=config.judge_candidate_threshold,
            judge_pairs=speaker,  # a paraphrase by the same speaker may share no words at all
        )
        if config.quote_similarity > 0:
            quoted = shared_quotes(
                [c.quote for c in gold],
                [c.quote for c in pred],
                min_words=config.quote_min_words,
                min_overlap=config.quote_min_overlap,
            )
            content = content.with_quotes(
                quoted & np.asarray(speaker, dtype=bool), config.quote_similarity
            )
        full = align(np.where(speaker, content.sim, 0.0), config.content_threshold)
        by_content = align(content.sim, config.content_threshold)

        explanations: list[ItemExplanation] = []
        for i, j, s in full.pairs:
            reason = f"same speaker, {_content_reason(content, i, j)}"
            components = {"content": s, "speaker": 1.0}
            explanations += paired_explanations(
                i,
                _text(gold[i]),
                j,
                _text(pred[j]),
                "match",
                reason,
                similarity=s,
                components=components,
            )
        for i, j, s in by_content.pairs:
            if full.gold_partner[i] is None and full.pred_partner[j] is None and not speaker[i, j]:
                # Content matches, speaker does not: neither side is credited, both are explained.
                reason = (
                    f"{_content_reason(content, i, j)}, but the speaker is "
                    f"{pred[j].speaker!r}, not {gold[i].speaker!r}"
                )
                components = {"content": s, "speaker": 0.0}
                explanations += paired_explanations(
                    i,
                    _text(gold[i]),
                    j,
                    _text(pred[j]),
                    "misattribution",
                    reason,
                    components=components,
                )
        explained = {(e.side, e.index) for e in explanations}
        threshold = config.content_threshold
        for i, g in enumerate(gold):
            if ("gold", i) in explained:
                continue
            k = contradiction(content, i, threshold, axis=0)
            reason = (
                "no predicted claim states it"
                if k is None
                else (
                    f"predicted claim {k} states the opposite (negated: "
                    f"{', '.join(sorted(content.conflict[i][k]))})"
                )
            )
            explanations.append(explanation("gold", i, _text(g), "omission", reason))
        for j, p in enumerate(pred):
            if ("pred", j) in explained:
                continue
            k = contradiction(content, j, threshold, axis=1)
            if k is not None:
                label, reason = "hallucination", f"contradicts gold claim {k}: opposite polarity"
            else:
                label, reason = unmatched_pred(ctx, self.name, j)
            explanations.append(explanation("pred", j, _text(p), label, reason))

        attributed = sum(bool(speaker[i, j]) for i, j, _ in by_content.pairs)
        extra = {
            "content_f1": f1_ratio(len(by_content.pairs), len(gold), len(pred)),
            "attribution_accuracy": share(attributed, len(by_content.pairs)),
        }
        credits = [s for _, _, s in full.pairs]
        return field_score(self.name, len(gold), len(pred), credits, explanations, extra)


__all__ = ["ClaimScorer"]
