from __future__ import annotations

import pytest

from harness.report.html import render_report_html
from harness.report.models import Report
from tests.report_html.factory import hostile_report, sample_report
from tests.report_html.page import Page, parse


@pytest.fixture(scope="module")
def report() -> Report:
    return sample_report()


@pytest.fixture(scope="module")
def html(report: Report) -> str:
    return render_report_html(report)


@pytest.fixture(scope="module")
def page(html: str) -> Page:
    return parse(html)


@pytest.fixture(scope="module")
def hostile() -> Report:
    return hostile_report()


@pytest.fixture(scope="module")
def hostile_html(hostile: Report) -> str:
    return render_report_html(hostile)
