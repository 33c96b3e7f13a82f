"""The provider layer: rendered chat messages in; raw text, usage and cost, or a classified
ProviderError, out.

litellm is imported lazily by `harness.providers.litellm_client` alone; importing this
package costs nothing.
"""

from harness.providers.base import (
    Backend,
    BackendCall,
    BackendReply,
    Fault,
    GoldArticleLike,
    MockOptions,
    Provider,
    ProviderContext,
    Route,
)
from harness.providers.client import (
    ModelClient,
    call_limits,
    check_model,
    estimate_prompt,
    open_model,
    supports_response_schema,
)
from harness.providers.errors import (
    ERROR_KINDS,
    RETRYABLE_KINDS,
    ErrorKind,
    ModelConfigError,
    ProviderError,
    scrub_secrets,
)
from harness.providers.mock import CassetteRecord, CassetteRecorder, load_cassette
from harness.providers.registry import BUILTIN_PROVIDERS, ProviderRegistry, default_registry
from harness.providers.request import (
    ChatMessage,
    CompletionRequest,
    CompletionResult,
    PromptEstimate,
    request_key,
)
from harness.providers.retry import RetryEvent, RetryPolicy, retry_delay, run_with_retries

__all__ = [
    "BUILTIN_PROVIDERS",
    "ERROR_KINDS",
    "RETRYABLE_KINDS",
    "Backend",
    "BackendCall",
    "BackendReply",
    "CassetteRecord",
    "CassetteRecorder",
    "ChatMessage",
    "CompletionRequest",
    "CompletionResult",
    "ErrorKind",
    "Fault",
    "GoldArticleLike",
    "MockOptions",
    "ModelClient",
    "ModelConfigError",
    "PromptEstimate",
    "Provider",
    "ProviderContext",
    "ProviderError",
    "ProviderRegistry",
    "RetryEvent",
    "RetryPolicy",
    "Route",
    "call_limits",
    "check_model",
    "default_registry",
    "estimate_prompt",
    "load_cassette",
    "open_model",
    "request_key",
    "retry_delay",
    "run_with_retries",
    "scrub_secrets",
    "supports_response_schema",
]
