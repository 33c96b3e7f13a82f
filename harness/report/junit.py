"""JUnit XML: one test case per article, so CI systems show per-article results."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from harness.report.models import ArticleResult, Report

USABLE = {"ok", "repaired"}


def _problems(article: ArticleResult, fail_under: float | None) -> list[str]:
    problems = []
    for sample in article.samples:
        where = f"sample {sample.sample}"
        if sample.status != "ok":
            detail = sample.error.message if sample.error else "no answer"
            problems.append(f"{where}: call {sample.status}: {detail}")
        elif sample.output_status not in USABLE:
            problems.append(
                f"{where}: output {sample.output_status}: {'; '.join(sample.parse_errors[:3])}"
            )
    mean = article.overall.mean
    if fail_under is not None and (mean is None or mean < fail_under):
        problems.append(f"overall {mean} is below --fail-under {fail_under}")
    return problems


def junit_xml(report: Report, fail_under: float | None = None) -> bytes:
    suite = ET.Element(
        "testsuite",
        name=f"evalsum {report.run.model} {report.run.prompt.name}",
        tests=str(len(report.articles)),
    )
    failures = 0
    for article in report.articles:
        case = ET.SubElement(
            suite, "testcase", classname=f"evalsum.{report.run.model}", name=article.article_id
        )
        fields = article.samples[0].score.fields if article.samples else {}
        lines = [f"overall: {article.overall.mean}"]
        lines += [f"{name} f1: {score.f1:.3f}" for name, score in fields.items()]
        ET.SubElement(case, "system-out").text = "\n".join(lines)
        problems = _problems(article, fail_under)
        if problems:
            failures += 1
            failure = ET.SubElement(case, "failure", message=problems[0][:200])
            failure.text = "\n".join(problems)
    suite.set("failures", str(failures))
    return ET.tostring(suite, encoding="utf-8", xml_declaration=True)


def write_junit(report: Report, path: Path, fail_under: float | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(junit_xml(report, fail_under))


__all__ = ["junit_xml", "write_junit"]
