"""`evalsum init`: lay out a starter project (gold, a prompt to edit, CI, a README) in a folder.

Everything comes from package data, so it works from a wheel install:

- `starter_files/gold/` is a copy of the repository's `gold/` seed articles and guidelines. The
  repository's `gold/` is the source of truth; `make starter` refreshes the copy, and
  tests/test_anywhere.py fails when the two differ. A plain copy, rather than a build step or
  symlinks: an editable install, a wheel and an sdist then all see the same real files.
- the prompt to edit and the prompt format are the built-in ones (`builtin_prompts/`), copied
  at init time, so no second copy of a prompt lives in the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness import __version__
from harness.defaults import DEFAULT_PROMPT
from harness.errors import InputError
from harness.prompts import BUILTIN_PROMPTS_DIR, PROMPT_SUFFIX

STARTER_DIR = Path(__file__).with_name("starter_files")
# The user's copy of the default prompt: a name of its own, so it never shadows a built-in one.
CUSTOM_PROMPT = "custom"
_VERSION_MARK = "@EVALSUM_VERSION@"


@dataclass(frozen=True)
class StarterFile:
    target: Path  # relative to the project folder
    data: bytes


@dataclass(frozen=True)
class InitResult:
    root: Path
    written: list[Path]  # relative to root, in layout order
    overwritten: list[Path]  # the subset that existed (only with force)


def starter_files() -> list[StarterFile]:
    """The starter project's files, in the order they are listed to the user."""
    gold = STARTER_DIR / "gold"
    files = [
        StarterFile(Path("gold") / path.relative_to(gold), path.read_bytes())
        for path in sorted(gold.rglob("*"))
        if path.is_file()
    ]
    workflow = (STARTER_DIR / "evalsum.yml").read_text(encoding="utf-8")
    files += [
        StarterFile(
            Path("prompts") / f"{CUSTOM_PROMPT}{PROMPT_SUFFIX}",
            (BUILTIN_PROMPTS_DIR / f"{DEFAULT_PROMPT}{PROMPT_SUFFIX}").read_bytes(),
        ),
        StarterFile(
            Path("prompts") / "README.md", (BUILTIN_PROMPTS_DIR / "README.md").read_bytes()
        ),
        StarterFile(
            Path(".github") / "workflows" / "evalsum.yml",
            workflow.replace(_VERSION_MARK, __version__).encode(),
        ),
        StarterFile(Path("README.md"), (STARTER_DIR / "README.md").read_bytes()),
    ]
    return files


def init_project(root: Path, *, force: bool = False) -> InitResult:
    """Write the starter files under `root` (created if missing). An existing file is an
    InputError naming it, and nothing is written, unless `force`."""
    files = starter_files()
    existing = [f.target for f in files if _occupied(root / f.target)]
    if existing and not force:
        more = f" and {len(existing) - 1} more file(s)" if len(existing) > 1 else ""
        raise InputError(
            f"refusing to overwrite {(root / existing[0]).resolve()}{more}; "
            "pass --force to overwrite, or choose another folder"
        )
    for file in files:
        path = root / file.target
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink():  # replace the link, never write through it
                path.unlink()
            path.write_bytes(file.data)
        except OSError as exc:
            raise InputError(f"cannot write {path.resolve()}: {exc.strerror or exc}") from None
    return InitResult(root=root, written=[f.target for f in files], overwritten=existing)


def _occupied(path: Path) -> bool:
    return path.exists() or path.is_symlink()


__all__ = [
    "CUSTOM_PROMPT",
    "STARTER_DIR",
    "InitResult",
    "StarterFile",
    "init_project",
    "starter_files",
]
