"""Versioned prompt templates: loading, checking and rendering into chat messages.

The syntax is deliberately tiny (`--- role` sections and `{{variable}}`) so that a template
can be read and diffed by anyone, and so that any mistake is caught before a single call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from harness.errors import InputError

PROMPT_SUFFIX = ".prompt"
# The prompts that ship with evalsum (package data): `--prompt v2` finds them from any folder.
BUILTIN_PROMPTS_DIR = Path(__file__).with_name("builtin_prompts")
VARIABLES = ("article", "published", "published_weekday", "schema", "title")

_SECTION = re.compile(r"^--- (system|user|assistant)\s*$", re.MULTILINE)
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

Role = Literal["system", "user", "assistant"]


class Message(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Role
    content: str


class PromptTemplate(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    path: Path
    sha256: str
    sections: tuple[tuple[Role, str], ...]

    @property
    def uses_schema(self) -> bool:
        return any("schema" in _VARIABLE.findall(body) for _, body in self.sections)

    def render(
        self,
        *,
        article: str,
        published: dt.date,
        title: str,
        schema: dict[str, Any],
        schema_in_prompt: bool,
    ) -> list[Message]:
        """Chat messages for one article. `schema_in_prompt` is for models without
        structured output: the schema must then reach the model through the text."""
        schema_text = json.dumps(schema, ensure_ascii=False)
        values = {
            "article": article,
            "published": published.isoformat(),
            "published_weekday": published.strftime("%A"),
            "schema": schema_text,
            "title": title,
        }
        messages = [
            Message(role=role, content=_VARIABLE.sub(lambda m: values[m.group(1)], body))
            for role, body in self.sections
        ]
        if schema_in_prompt and not self.uses_schema:
            last_user = max(i for i, m in enumerate(messages) if m.role == "user")
            m = messages[last_user]
            messages[last_user] = Message(
                role="user",
                content=f"{m.content}\n\nAnswer with JSON that follows this JSON Schema:\n"
                f"{schema_text}",
            )
        return messages


def _is_path(spec: str) -> bool:
    """`v2` is a name; anything with a slash or a suffix, or an existing file, is a path."""
    candidate = Path(spec)
    return bool(candidate.suffix) or "/" in spec or candidate.is_file()


def search_dirs(prompts_dir: Path | None) -> list[Path]:
    """Where a prompt name is looked up, in order: the user's folder, then the built-in ones.

    The built-in folder is inside the package (not the working directory), so a name resolves
    the same from any folder and from a wheel install.
    """
    if prompts_dir is None:
        return [BUILTIN_PROMPTS_DIR]
    if not prompts_dir.is_dir():
        raise InputError(
            f"prompts folder not found: {prompts_dir.resolve()} (pass --prompts-dir DIR)"
        )
    return [prompts_dir, BUILTIN_PROMPTS_DIR]


def available_prompts(prompts_dir: Path | None) -> list[str]:
    """Every prompt name --prompt accepts with this --prompts-dir."""
    names = {p.stem for d in search_dirs(prompts_dir) for p in d.glob(f"*{PROMPT_SUFFIX}")}
    return sorted(names)


def _not_found(spec: str, looked: str, prompts_dir: Path | None) -> InputError:
    available = ", ".join(available_prompts(prompts_dir)) or "none"
    return InputError(
        f"prompt {spec!r} not found {looked}; available: {available} "
        "(pass --prompt NAME|PATH, or --prompts-dir DIR for your own prompts)"
    )


def resolve_prompt_path(spec: str, prompts_dir: Path | None = None) -> Path:
    """The template file for `--prompt spec`: a path as given, or NAME.prompt from the first of
    `search_dirs` that has it. Not found is an InputError naming the absolute paths searched."""
    folders = search_dirs(prompts_dir)
    if _is_path(spec):
        path = Path(spec)
        if not path.is_file():
            raise _not_found(spec, f"at {path.resolve()}", prompts_dir)
        return path
    for folder in folders:
        path = folder / f"{spec}{PROMPT_SUFFIX}"
        if path.is_file():
            return path
    labels = ["(--prompts-dir)", "(built-in)"][-len(folders) :]
    looked = " or ".join(f"{d.resolve()} {label}" for d, label in zip(folders, labels, strict=True))
    raise _not_found(spec, f"in {looked}", prompts_dir)


def parse_template(name: str, path: Path, source: str) -> PromptTemplate:
    matches = list(_SECTION.finditer(source))
    if not matches:
        raise InputError(
            f"{path}: no sections; a template has lines '--- system' and '--- user' "
            "opening its messages (see harness/builtin_prompts/README.md)"
        )
    preamble = source[: matches[0].start()].strip()
    if preamble:
        raise InputError(f"{path}: text before the first '--- role' line: {preamble[:40]!r}")
    sections: list[tuple[Role, str]] = []
    for match, nxt in zip(matches, [*matches[1:], None], strict=True):
        body = source[match.end() : nxt.start() if nxt else len(source)].strip("\n")
        sections.append((match.group(1), body))  # type: ignore[arg-type]
    if not any(role == "user" for role, _ in sections):
        raise InputError(f"{path}: no '--- user' section; the article must reach the model")

    for m in _VARIABLE.finditer(source):
        if m.group(1) not in VARIABLES:
            line = source.count("\n", 0, m.start()) + 1
            raise InputError(
                f"{path}:{line}: unknown template variable {{{{{m.group(1)}}}}}; "
                f"known: {', '.join(VARIABLES)}"
            )
    leftover = _VARIABLE.sub("", source)
    for token in ("{{", "}}"):
        pos = leftover.find(token)
        if pos >= 0:
            raise InputError(
                f"{path}: malformed placeholder near {leftover[max(0, pos - 10) : pos + 20]!r}; "
                "write variables as {{name}}"
            )
    if not any("article" in _VARIABLE.findall(body) for _, body in sections):
        raise InputError(f"{path}: the template never uses {{{{article}}}}")
    digest = hashlib.sha256(source.encode()).hexdigest()
    return PromptTemplate(name=name, path=path, sha256=digest, sections=tuple(sections))


def load_prompt(spec: str, prompts_dir: Path | None = None) -> PromptTemplate:
    """The template `--prompt spec` names; `prompts_dir` holds the user's own prompts."""
    path = resolve_prompt_path(spec, prompts_dir)
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path.resolve()}: cannot read the prompt ({exc.strerror})") from None
    # A file found by name (or given as a path into a prompt folder) is known by its name.
    known_dirs = {d.resolve() for d in search_dirs(prompts_dir)}
    name = path.stem if path.parent.resolve() in known_dirs else str(path)
    return parse_template(name, path, source)


def messages_sha256(messages: list[Message]) -> str:
    payload = json.dumps([m.model_dump() for m in messages], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


__all__ = [
    "BUILTIN_PROMPTS_DIR",
    "VARIABLES",
    "Message",
    "PromptTemplate",
    "available_prompts",
    "load_prompt",
    "messages_sha256",
    "parse_template",
    "resolve_prompt_path",
    "search_dirs",
]
