"""The fallback provider: any model string litellm understands ('openai/...', 'anthropic/...').

It only checks configuration and passes the model through; litellm does the rest.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from harness.providers import litellm_client
from harness.providers.base import Provider, ProviderContext, Route
from harness.providers.errors import ModelConfigError

# OpenAI-compatible servers on this machine (llama.cpp, vLLM, ollama's /v1) often need no key,
# but the OpenAI client refuses to start without one. The placeholder is sent only when the
# user has set no key: a keyed server (litellm's proxy, vLLM --api-key) needs the real one.
# It never reaches a record.
LOCAL_PLACEHOLDER_KEY = "sk-evalsum-local-no-key"


def is_loopback_url(api_base: str | None) -> bool:
    if not api_base:
        return False
    host = urlsplit(api_base if "//" in api_base else f"//{api_base}").hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _missing_message(model: str, keys: list[str]) -> str:
    if len(keys) == 1:
        return f"model '{model}' needs {keys[0]} in the environment"
    # litellm lists alternatives (gemini: GOOGLE_ or GEMINI_API_KEY) and joint needs (azure:
    # key, base and version) alike, so the message does not claim which it is.
    return f"model '{model}' needs environment variables that are not set: {', '.join(keys)}"


class LitellmProvider(Provider):
    def accepts(self, model: str) -> bool:
        return litellm_client.provider_of(model) is not None

    def check(self, model: str, api_base: str | None, context: ProviderContext) -> None:
        route = self.route(model, api_base, context)
        if not route.needs_keys or not context.calls:
            return
        missing = litellm_client.missing_keys(model, api_base)
        if missing:
            raise ModelConfigError(
                _missing_message(model, missing),
                hint="export the key, or point --api-base at a local OpenAI-compatible server",
            )

    def route(self, model: str, api_base: str | None, context: ProviderContext) -> Route:
        local = is_loopback_url(api_base)
        # None lets litellm take the user's key from the environment, as it always does.
        placeholder = local and bool(litellm_client.missing_keys(model, api_base))
        return Route(
            litellm_model=model,
            api_base=api_base,
            api_key=LOCAL_PLACEHOLDER_KEY if placeholder else None,
            needs_keys=not local,
        )


__all__ = ["LOCAL_PLACEHOLDER_KEY", "LitellmProvider", "is_loopback_url"]
