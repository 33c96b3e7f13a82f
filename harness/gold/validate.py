"""`evalsum validate`: every gold file against the JSON Schema, then against its article.

Syntax and schema come first (jsonschema, so messages name the JSON path); the semantic
checks run only on files that parsed, and report every problem rather than the first.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from harness.gold.corpus import (
    META_FILE,
    SUMMARY_FILE,
    TEXT_FILE,
    GoldArticle,
    article_dirs,
    read_text,
)
from harness.gold.drafts import draft_problem
from harness.gold.guideline_checks import guideline_problems
from harness.gold.problems import GoldError, Problem, json_path
from harness.summary import ArticleMeta, Summary, earliest_day
from harness.text import normalize_typography, strip_outer_quotes


def _read_json(path: Path, problems: list[Problem]) -> Any | None:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(file=str(path), path="", message=f"missing {path.name}"))
        return None
    except UnicodeDecodeError:
        problems.append(Problem(file=str(path), path="", message="not UTF-8"))
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(
                file=str(path),
                path="",
                message=f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            )
        )
        return None


def _schema_problems(path: Path, data: Any, schema_name: str) -> list[Problem]:
    import jsonschema  # only validation needs it

    from harness.schemas import load

    validator_cls = jsonschema.validators.validator_for(load(schema_name))
    validator = validator_cls(load(schema_name), format_checker=validator_cls.FORMAT_CHECKER)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        problems.append(
            Problem(
                file=str(path), path=json_path(list(error.absolute_path)), message=error.message
            )
        )
    return problems


def _parse(path: Path, data: Any, model: type[BaseModel]) -> Any | None:
    """The schema already passed; pydantic parses into typed objects (and catches the rest)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise GoldError(
            [
                Problem(file=str(path), path=json_path(list(e["loc"])), message=e["msg"])
                for e in exc.errors()
            ]
        ) from None


def check_files(folder: Path) -> tuple[GoldArticle | None, list[Problem]]:
    """Parse one article folder; the article is None when a file is unusable."""
    problems: list[Problem] = []
    text: str | None = None
    try:
        text = read_text(folder / TEXT_FILE)
    except GoldError as exc:
        problems.extend(exc.problems)

    parsed: dict[str, Any] = {}
    for name, schema_name, model in (
        (META_FILE, "article-meta.schema.json", ArticleMeta),
        (SUMMARY_FILE, "summary.schema.json", Summary),
    ):
        path = folder / name
        data = _read_json(path, problems)
        if data is None:
            continue
        schema_problems = _schema_problems(path, data, schema_name)
        if schema_problems:
            problems.extend(schema_problems)
            continue
        try:
            parsed[name] = _parse(path, data, model)
        except GoldError as exc:
            problems.extend(exc.problems)

    if text is None or len(parsed) < 2:
        return None, problems
    article = GoldArticle(meta=parsed[META_FILE], text=text, summary=parsed[SUMMARY_FILE])
    return article, problems


def _fold(name: str) -> str:
    return normalize_typography(name).casefold()


def semantic_problems(folder: Path, article: GoldArticle) -> list[Problem]:
    """What the schema cannot see: the summary against its own article and metadata."""
    meta_file, summary_file = str(folder / META_FILE), str(folder / SUMMARY_FILE)
    summary, meta = article.summary, article.meta
    problems: list[Problem] = []

    if meta.id != folder.name:
        problems.append(
            Problem(
                file=meta_file,
                path="$.id",
                message=f"id {meta.id!r} does not match its folder name {folder.name!r}; "
                "rename one so they agree",
            )
        )

    # Names: every reference to a participant must resolve to exactly one of them.
    owners: dict[str, list[str]] = {}
    for p in summary.participants:
        for form in {_fold(p.name), *(_fold(a) for a in p.aliases)}:
            owners.setdefault(form, []).append(p.name)
    seen: set[str] = set()
    for i, p in enumerate(summary.participants):
        if _fold(p.name) in seen:
            problems.append(
                Problem(
                    file=summary_file,
                    path=json_path(["participants", i, "name"]),
                    message=f"participant {p.name!r} is listed more than once",
                )
            )
        seen.add(_fold(p.name))
        for k, alias in enumerate(p.aliases):
            shared = sorted(set(owners[_fold(alias)]) - {p.name})
            if shared:
                problems.append(
                    Problem(
                        file=summary_file,
                        path=json_path(["participants", i, "aliases", k]),
                        message=f"alias {alias!r} also names {', '.join(shared)}; "
                        "an alias must identify one participant",
                    )
                )

    def known(ref: str | None) -> bool:
        return ref is None or _fold(ref) in owners

    listed = ", ".join(p.name for p in summary.participants) or "none"
    for i, claim in enumerate(summary.claims):
        if not known(claim.speaker):
            problems.append(
                Problem(
                    file=summary_file,
                    path=json_path(["claims", i, "speaker"]),
                    message=f"speaker {claim.speaker!r} is not a listed participant "
                    f"(participants: {listed})",
                )
            )
    for i, line in enumerate(summary.red_lines):
        for field in ("party", "speaker"):
            ref = getattr(line, field)
            if not known(ref):
                problems.append(
                    Problem(
                        file=summary_file,
                        path=json_path(["red_lines", i, field]),
                        message=f"{field} {ref!r} is not a listed participant "
                        f"(participants: {listed})",
                    )
                )

    # Quotes must be verbatim: a paraphrase in the quote field would reward models for
    # inventing quotations.
    text = normalize_typography(article.text)
    for field, items in (("claims", summary.claims), ("red_lines", summary.red_lines)):
        for i, item in enumerate(items):
            if (
                item.quote is not None
                and strip_outer_quotes(normalize_typography(item.quote)) not in text
            ):
                problems.append(
                    Problem(
                        file=summary_file,
                        path=json_path([field, i, "quote"]),
                        message="quote does not occur verbatim in article.txt "
                        "(quote marks and whitespace are normalised; wording must match exactly)",
                    )
                )

    for i, p in enumerate(summary.participants):
        for k, alias in enumerate(p.aliases):
            if _fold(alias) not in text.casefold():
                problems.append(
                    Problem(
                        file=summary_file,
                        path=json_path(["participants", i, "aliases", k]),
                        message=f"alias {alias!r} does not occur in article.txt; "
                        "aliases are the surface forms the article uses",
                    )
                )

    for i, mention in enumerate(summary.dates):
        path = json_path(["dates", i, "date"])
        try:
            day = earliest_day(mention.date)
        except ValueError:
            problems.append(
                Problem(
                    file=summary_file,
                    path=path,
                    message=f"{mention.date!r} is not a calendar date",
                )
            )
            continue
        if day > meta.published and not mention.future:
            problems.append(
                Problem(
                    file=summary_file,
                    path=path,
                    message=f"{mention.date} is after publication ({meta.published}); "
                    "set future: true if the article announces it as still to come",
                )
            )
    return problems


def validate_folder(folder: Path) -> tuple[GoldArticle | None, list[Problem]]:
    article, problems = check_files(folder)
    draft = draft_problem(folder)
    if draft is not None:
        problems.append(draft)
    if article is not None:
        problems.extend(semantic_problems(folder, article))
        problems.extend(guideline_problems(folder, article))
    return article, problems


def duplicate_id_problems(metas: Iterable[tuple[Path, ArticleMeta]]) -> list[Problem]:
    pairs = list(metas)
    counts = Counter(m.id for _, m in pairs)
    return [
        Problem(
            file=str(folder / META_FILE),
            path="$.id",
            message=f"duplicate id {meta.id!r}: ids must be unique across the corpus",
        )
        for folder, meta in pairs
        if counts[meta.id] > 1
    ]


def validate_corpus(root: Path) -> tuple[int, list[Problem]]:
    """(number of articles checked, every problem found)."""
    problems: list[Problem] = []
    metas: list[tuple[Path, ArticleMeta]] = []
    folders = article_dirs(root)
    if not folders:
        problems.append(
            Problem(
                file=str(root), path="", message="no article folders found (see gold/README.md)"
            )
        )
    for folder in folders:
        article, found = validate_folder(folder)
        problems.extend(found)
        if article is not None:
            metas.append((folder, article.meta))
    problems.extend(duplicate_id_problems(metas))
    return len(folders), problems


__all__ = ["check_files", "semantic_problems", "validate_corpus", "validate_folder"]
