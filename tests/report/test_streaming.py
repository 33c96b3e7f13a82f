"""write_report streams articles to disk; the file must be exactly what build_report would
write in memory, and the returned report must read its articles back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.gold import load_corpus
from harness.providers.base import MockOptions
from harness.report.build import REPORT_FILE, build_report, write_report
from harness.report.models import Report
from harness.run import RunConfig, start_run
from harness.run.journal import JOURNAL_FILE, JournalIndex, latest_records
from harness.run.rundir import read_spec
from tests.conftest import GOLD, REPO


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _run(tmp_path: Path, **mock: float) -> Path:
    config = RunConfig(
        model="mock/noisy",
        out=tmp_path / "reports",
        samples=2,
        retries=0,
        cache=False,
        mock=MockOptions(**mock),
    )
    return start_run(config).folder


@pytest.mark.parametrize("kept", [True, False], ids=["kept-in-memory", "read-back"])
@pytest.mark.parametrize("mock", [{}, {"error_rate": 0.5, "malformed_rate": 0.3}])
def test_streamed_report_equals_the_in_memory_one(
    tmp_path: Path, mock: dict, kept: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not kept:
        monkeypatch.setattr("harness.report.build.IN_MEMORY_SAMPLES", 0)
    folder = _run(tmp_path, **mock)
    written = (folder / REPORT_FILE).read_bytes()
    spec = read_spec(folder)
    corpus = load_corpus(GOLD, spec.article_ids)
    finished = Report.model_validate_json(written).run.finished_at
    records = latest_records(folder / JOURNAL_FILE)
    in_memory = build_report(spec, corpus, records, finished_at=finished)
    assert written == (in_memory.model_dump_json(indent=1) + "\n").encode()

    returned = write_report(folder, spec, corpus, finished_at=finished)
    assert (folder / REPORT_FILE).read_bytes() == written
    assert isinstance(returned.articles, list) is kept
    assert list(returned.articles) == in_memory.articles
    assert returned.articles[-1] == in_memory.articles[-1]
    assert returned.overall == in_memory.overall
    assert not list(folder.glob("*.tmp"))


def test_a_report_without_articles_keeps_an_empty_list(tmp_path: Path) -> None:
    folder = _run(tmp_path)
    spec = read_spec(folder)
    empty = load_corpus(GOLD, spec.article_ids).model_copy(update={"articles": ()})
    report = write_report(folder, spec, empty, finished_at=spec.started_at)
    assert json.loads((folder / REPORT_FILE).read_text())["articles"] == []
    assert len(report.articles) == 0


def test_journal_index_reads_the_latest_record_per_key(tmp_path: Path) -> None:
    folder = _run(tmp_path)
    journal = folder / JOURNAL_FILE
    lines = journal.read_bytes().splitlines(keepends=True)
    # A superseded record first, and a torn last line that readers ignore.
    journal.write_bytes(lines[1] + b"".join(lines) + lines[0][:40])
    expected = latest_records(journal)
    with JournalIndex(journal) as index:
        assert dict(index) == expected
        assert len(index) == len(expected)


def test_articles_are_scored_as_soon_as_they_and_all_before_them_are_answered(
    tmp_path: Path,
) -> None:
    """Scoring overlaps the calls, yet the report does not depend on the order calls finish."""
    from harness.report.build import ReportWriter

    folder = _run(tmp_path, error_rate=0.3)
    original = (folder / REPORT_FILE).read_bytes()
    spec = read_spec(folder)
    corpus = load_corpus(GOLD, spec.article_ids)
    records = latest_records(folder / JOURNAL_FILE)
    again = tmp_path / "again"
    again.mkdir()
    finished = Report.model_validate_json(original).run.finished_at
    first, second = spec.article_ids
    # The second article's answers, then the first's, as concurrent calls may finish.
    arrival = [records[(second, 0)], records[(first, 1)], records[(second, 1)], records[(first, 0)]]
    writer = ReportWriter(again, spec, corpus, expected=list(records))
    seen = []
    with writer:
        for record in arrival:
            writer.add_record(record)
            writer.score_ready()
            seen.append(writer.scored)
        report = writer.finish(finished)
    assert seen == [0, 0, 0, 2]
    assert (again / REPORT_FILE).read_bytes() == original
    assert report.overall == Report.model_validate_json(original).overall


def test_an_abandoned_writer_leaves_no_report_and_no_spill(tmp_path: Path) -> None:
    from harness.report.build import ReportWriter

    folder = _run(tmp_path)
    (folder / REPORT_FILE).unlink()
    spec = read_spec(folder)
    corpus = load_corpus(GOLD, spec.article_ids)
    with ReportWriter(folder, spec, corpus, expected=list(latest_records(folder / JOURNAL_FILE))):
        pass
    assert not (folder / REPORT_FILE).exists()
    assert not list(folder.glob("*.tmp"))


def test_a_run_scores_articles_while_later_calls_are_still_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness.report.build import ReportWriter

    answers: list[str] = []
    answers_when_scored: list[int] = []
    add_record, score = ReportWriter.add_record, ReportWriter._score

    def counting_add(self: ReportWriter, record) -> None:  # type: ignore[no-untyped-def]
        answers.append(record.article_id)
        add_record(self, record)

    def counting_score(self: ReportWriter, article) -> None:  # type: ignore[no-untyped-def]
        answers_when_scored.append(len(answers))
        score(self, article)

    monkeypatch.setattr(ReportWriter, "add_record", counting_add)
    monkeypatch.setattr(ReportWriter, "_score", counting_score)
    config = RunConfig(
        model="mock/oracle",
        out=tmp_path / "reports",
        concurrency=1,
        cache=False,
        mock=MockOptions(latency_ms=50),
    )
    result = start_run(config)
    assert result.overall == 1.0
    # The first article was scored while the second one's call was being made.
    assert answers_when_scored == [1, 2]


@pytest.mark.slow
@pytest.mark.parametrize("n", [5, 6, 40, 3000])
def test_intervals_of_all_fields_at_once_equal_each_field_alone(n: int) -> None:
    import numpy as np

    from harness.report.build import f1_interval, f1_intervals

    rng = np.random.default_rng(n)
    per_article = {
        field: [
            (float(rng.integers(0, 5)), int(rng.integers(0, 6)), int(rng.integers(0, 6)))
            for _ in range(n)
        ]
        for field in ("participants", "dates", "claims", "red_lines")
    }
    together = f1_intervals(per_article)
    assert together == {field: f1_interval(rows) for field, rows in per_article.items()}
    assert (together["claims"] is None) == (n < 6)


def test_answers_beyond_the_memory_cap_are_read_back_from_the_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When scoring lags, answers wait in the journal, not in memory; a record journaled by an
    earlier session never wins over this session's."""
    from harness.report.build import ReportWriter
    from harness.run.journal import Journal
    from harness.run.records import CallError

    folder = _run(tmp_path, error_rate=0.3)
    original = (folder / REPORT_FILE).read_bytes()
    spec = read_spec(folder)
    corpus = load_corpus(GOLD, spec.article_ids)
    records = latest_records(folder / JOURNAL_FILE)
    finished = Report.model_validate_json(original).run.finished_at
    first, second = spec.article_ids
    again = tmp_path / "again"
    again.mkdir()
    earlier = records[(first, 0)].model_copy(
        update={"status": "failed", "raw": None, "error": CallError(kind="server", message="x")}
    )
    with Journal.open(again / JOURNAL_FILE) as journal:
        journal.append(earlier)  # an earlier session's failure, retried in this one
    monkeypatch.setattr("harness.report.build.FRESH_RECORDS", 1)
    arrival = [records[(second, 0)], records[(second, 1)], records[(first, 1)], records[(first, 0)]]
    with ReportWriter(again, spec, corpus, expected=list(records)) as writer:
        with Journal.open(again / JOURNAL_FILE) as journal:
            for record in arrival:
                journal.append(record)
                writer.add_record(record)
                writer.score_ready()
        assert len(writer._fresh) <= 1
        writer.finish(finished)
    assert (again / REPORT_FILE).read_bytes() == original


def test_the_journal_index_takes_in_lines_appended_after_it_was_opened(tmp_path: Path) -> None:
    folder = _run(tmp_path)
    lines = (folder / JOURNAL_FILE).read_bytes().splitlines(keepends=True)
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(lines[0])
    with JournalIndex(journal) as index:
        assert len(index) == 1
        with journal.open("ab") as out:
            out.write(lines[1] + lines[2][:30])  # a line still being written
        index.refresh()
        assert len(index) == 2
        with journal.open("ab") as out:
            out.write(lines[2][30:])
        index.refresh()
        assert dict(index) == latest_records(journal)
