"""Mock models that answer in-process from the gold corpus or a recorded cassette."""

from harness.providers.mock.cassette import (
    CassetteRecord,
    CassetteRecorder,
    load_cassette,
    record_for,
)
from harness.providers.mock.perturb import PERTURBATIONS, perturb
from harness.providers.mock.provider import MOCK_MODELS, MockProvider

__all__ = [
    "MOCK_MODELS",
    "PERTURBATIONS",
    "CassetteRecord",
    "CassetteRecorder",
    "MockProvider",
    "load_cassette",
    "perturb",
    "record_for",
]
