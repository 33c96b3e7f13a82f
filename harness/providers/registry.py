"""The one provider registry: a model string's prefix picks its provider.

'mock/oracle' goes to the provider registered as 'mock'; a prefix nobody registered goes to
the fallback (litellm), which accepts whatever litellm knows ('openai/...', 'anthropic/...').
Built-ins are registered exactly as a third-party provider would be:

    registry.register("local", "harness.providers.local:LocalProvider")

Adding a provider is one module with a `Provider` subclass plus one line in
`BUILTIN_PROVIDERS` (or one `register` call). Entries are "module:attribute" strings so no
provider module is imported before a model of its prefix is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping

from harness.providers.base import Provider
from harness.providers.errors import ModelConfigError

ProviderFactory = Callable[[], Provider]
ProviderEntry = str | Provider | ProviderFactory

BUILTIN_PROVIDERS: Mapping[str, str] = {
    "mock": "harness.providers.mock:MockProvider",
    "local": "harness.providers.local:LocalProvider",
}
FALLBACK_PROVIDER = "harness.providers.litellm_provider:LitellmProvider"
# Named in error messages only; the fallback accepts every provider litellm knows.
COMMON_LITELLM_PREFIXES = ("openai", "anthropic", "gemini", "ollama", "mistral", "openrouter")


def _load(entry: ProviderEntry) -> Provider:
    if isinstance(entry, Provider):
        return entry
    if isinstance(entry, str):
        module_name, _, attribute = entry.partition(":")
        factory = getattr(importlib.import_module(module_name), attribute)
        return _load(factory)
    provider = entry()
    if not isinstance(provider, Provider):
        raise TypeError(f"provider factory {entry!r} returned {provider!r}, not a Provider")
    return provider


class ProviderRegistry:
    def __init__(
        self,
        providers: Mapping[str, ProviderEntry] | None = None,
        fallback: ProviderEntry = FALLBACK_PROVIDER,
    ) -> None:
        self._entries: dict[str, ProviderEntry] = {}
        self._loaded: dict[str, Provider] = {}
        self._fallback_entry = fallback
        self._fallback: Provider | None = None
        for prefix, entry in (providers or {}).items():
            self.register(prefix, entry)

    def register(self, prefix: str, provider: ProviderEntry) -> None:
        """Route 'prefix/...' model strings to `provider` (replacing an earlier entry)."""
        if not prefix or "/" in prefix:
            raise ValueError(f"a provider prefix is one path segment, got {prefix!r}")
        self._entries[prefix] = provider
        self._loaded.pop(prefix, None)

    def prefixes(self) -> tuple[str, ...]:
        return tuple(sorted(self._entries))

    def resolve(self, model: str) -> Provider:
        """The provider for `model`; ModelConfigError when no provider can call it."""
        prefix, slash, _ = model.partition("/")
        if slash and prefix in self._entries:
            if prefix not in self._loaded:
                self._loaded[prefix] = _load(self._entries[prefix])
            return self._loaded[prefix]
        if self._fallback is None:
            self._fallback = _load(self._fallback_entry)
        if self._fallback.accepts(model):
            return self._fallback
        raise ModelConfigError(self._unknown_message(model))

    def _unknown_message(self, model: str) -> str:
        ours = " or ".join(f"{p}/..." for p in self.prefixes())
        litellm = ", ".join(f"{p}/" for p in COMMON_LITELLM_PREFIXES)
        expected = f"{litellm}, ... (any litellm provider)" + (f" or {ours}" if ours else "")
        prefix, slash, _ = model.partition("/")
        if not slash:
            return f"model '{model}' has no provider prefix; expected one of {expected}"
        return f"unknown provider '{prefix}' in model '{model}'; expected one of {expected}"


def default_registry() -> ProviderRegistry:
    """A fresh registry holding the built-in providers."""
    return ProviderRegistry(BUILTIN_PROVIDERS)


__all__ = [
    "BUILTIN_PROVIDERS",
    "FALLBACK_PROVIDER",
    "ProviderEntry",
    "ProviderFactory",
    "ProviderRegistry",
    "default_registry",
]
