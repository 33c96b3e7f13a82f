"""evalsum works from any folder (issue 12): the built-in prompts and the `evalsum init` starter
ship in the package, a prompt name never depends on the working directory, and every "not
found" names the absolute path it looked at and the flag that changes it.

The runs in subprocesses use a response cache filled in this process (same articles, prompt
and mock model: same requests), so that they need not import litellm, which takes seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness import __version__
from harness.cli.main import cli
from harness.gold.corpus import ARTICLE_FILES
from harness.prompts import BUILTIN_PROMPTS_DIR, load_prompt
from harness.starter import STARTER_DIR, starter_files
from tests.conftest import GOLD, REPO

EVALSUM = Path(sys.executable).with_name("evalsum")  # the venv's console script
ARTICLE = "000_1579af37d7c541ec"
SEEDS = {ARTICLE, "004_3fd1ec716d3e786b"}
STARTER_LAYOUT = {
    "README.md",
    ".github/workflows/evalsum.yml",
    "prompts/custom.prompt",
    "prompts/README.md",
    "gold/README.md",
    *(f"gold/{seed}/{name}" for seed in SEEDS for name in ARTICLE_FILES),
}


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A response cache holding mock/oracle's answers to the seed articles with prompt v2."""
    from harness.run import RunConfig, start_run

    cache = tmp_path_factory.mktemp("cache")
    out = tmp_path_factory.mktemp("warm")
    start_run(RunConfig(model="mock/oracle", gold=GOLD, out=out, cache_dir=cache))
    return cache


def evalsum(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    # EVALSUM_GOLD too: these tests are about what a folder's defaults resolve to.
    strip = ("EVALSUM_DEBUG", "EVALSUM_GOLD", "PYTHONPATH")
    environ = {k: v for k, v in os.environ.items() if k not in strip}
    return subprocess.run(
        [str(EVALSUM), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**environ, **(env or {})},
    )


@pytest.fixture(autouse=True)
def _folder_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVALSUM_GOLD", raising=False)


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def run_folder(stdout: str) -> Path:
    return Path([line for line in stdout.splitlines() if line.strip()][-1])


def report_of(folder: Path) -> dict:
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The whole of stderr: exit 2 with a single `error: ...` line, no traceback."""
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


# --- from a folder outside the repository ---------------------------------------------------


@pytest.mark.slow
def test_run_from_outside_the_repository_finds_the_builtin_prompt(
    tmp_path: Path, cache_dir: Path
) -> None:
    result = evalsum(
        tmp_path,
        "run",
        "--model",
        "mock/oracle",
        "--gold",
        str(GOLD),
        "--cache-dir",
        str(cache_dir),
    )
    assert result.returncode == 0, result.stderr
    assert "overall score: 1.000" in result.stdout
    folder = tmp_path / run_folder(result.stdout)
    assert folder.parent == tmp_path / "reports"
    prompt = report_of(folder)["run"]["prompt"]
    assert prompt["name"] == "v2"
    assert Path(prompt["path"]) == BUILTIN_PROMPTS_DIR / "v2.prompt"


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["run", "--model", "mock/oracle"],
        ["score", "--predictions", "predictions"],
        ["gold", "new", "article.txt", "--published", "2024-01-01"],
    ],
    ids=["validate", "run", "score", "gold-new"],
)
def test_a_missing_gold_folder_is_named_absolutely_with_its_flag(
    tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / "predictions").mkdir()
    (tmp_path / "predictions" / f"{ARTICLE}.json").write_text("{}")
    (tmp_path / "article.txt").write_text("Title\nBody\n")
    line = one_error_line(evalsum(tmp_path, *args))
    assert line == f"error: gold folder not found: {tmp_path.resolve() / 'gold'} (pass --gold DIR)"
    assert not (tmp_path / "gold").exists(), "gold new must not start a corpus here"


@pytest.mark.slow
def test_a_missing_prompt_names_the_folders_searched_the_names_and_the_flags(
    tmp_path: Path,
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copyfile(BUILTIN_PROMPTS_DIR / "v1.prompt", mine / "custom.prompt")
    line = one_error_line(
        evalsum(tmp_path, "run", "--gold", str(GOLD), "--prompt", "v99", "--prompts-dir", "mine")
    )
    assert line.startswith("error: prompt 'v99' not found in ")
    assert f"{mine.resolve()} (--prompts-dir)" in line
    assert f"{BUILTIN_PROMPTS_DIR.resolve()} (built-in)" in line
    assert "available: custom, v1, v2" in line
    assert "--prompt NAME|PATH" in line and "--prompts-dir DIR" in line

    line = one_error_line(evalsum(tmp_path, "run", "--gold", str(GOLD), "--prompt", "lost.prompt"))
    assert f"prompt 'lost.prompt' not found at {tmp_path.resolve() / 'lost.prompt'}" in line
    assert "--prompt NAME|PATH" in line

    line = one_error_line(evalsum(tmp_path, "run", "--gold", str(GOLD), "--prompts-dir", "nope"))
    assert line == (
        f"error: prompts folder not found: {tmp_path.resolve() / 'nope'} (pass --prompts-dir DIR)"
    )


# --- --prompts-dir ----------------------------------------------------------------------------


def user_prompt(folder: Path, name: str) -> Path:
    """A prompt of the user's: the default one with a line of their own."""
    folder.mkdir(parents=True, exist_ok=True)
    source = (BUILTIN_PROMPTS_DIR / "v2.prompt").read_text(encoding="utf-8")
    path = folder / f"{name}.prompt"
    path.write_text(
        source.replace("--- user\n", "--- user\nMy own wording.\n", 1), encoding="utf-8"
    )
    return path


def test_prompts_dir_is_searched_before_the_builtin_prompts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = user_prompt(tmp_path / "prompts", "v2")  # shadows the built-in v2
    monkeypatch.chdir(tmp_path)
    code, output = invoke(
        "run",
        "--model",
        "mock/oracle",
        "--gold",
        str(GOLD),
        "--articles",
        ARTICLE,
        "--prompts-dir",
        "prompts",
        "--no-cache",
    )
    assert code == 0, output
    prompt = report_of(tmp_path / run_folder(output))["run"]["prompt"]
    assert prompt["sha256"] == hashlib.sha256(mine.read_bytes()).hexdigest()
    assert Path(prompt["path"]).resolve() == mine.resolve()
    # A name the folder lacks is still a built-in one; a path works exactly as before.
    builtin_v1 = load_prompt("v1")
    assert load_prompt("v1", tmp_path / "prompts").sha256 == builtin_v1.sha256
    assert load_prompt(str(mine), tmp_path / "prompts").sha256 == prompt["sha256"]


def test_resume_finds_the_same_user_prompt_and_refuses_a_changed_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, elsewhere = tmp_path / "first", tmp_path / "elsewhere"
    elsewhere.mkdir()
    mine = user_prompt(first / "prompts", "mine")
    monkeypatch.chdir(first)
    code, output = invoke(
        "run",
        "--model",
        "mock/oracle",
        "--gold",
        str(GOLD),
        "--prompts-dir",
        "prompts",
        "--prompt",
        "mine",
        "--no-cache",
    )
    assert code == 0, output
    folder = (first / run_folder(output)).resolve()
    journal = folder / "journal.jsonl"
    complete = journal.read_bytes()
    journal.write_bytes(complete.splitlines(keepends=True)[0])  # as after a kill

    # From another folder the recorded relative --prompts-dir is not there: say so, and where.
    monkeypatch.chdir(elsewhere)
    code, output = invoke("run", "--resume", str(folder), "--no-cache")
    assert code == 2
    assert f"prompts folder not found: {elsewhere.resolve() / 'prompts'}" in output
    # Given again, the same prompt is found and the run finishes.
    code, output = invoke(
        "run", "--resume", str(folder), "--no-cache", "--prompts-dir", str(first / "prompts")
    )
    assert code == 0, output
    assert "1 provider call(s)" in output
    assert report_of(folder)["overall"]["micro"] == 1.0

    # A changed prompt is refused, as before.
    journal.write_bytes(complete.splitlines(keepends=True)[0])
    mine.write_text(mine.read_text() + "\nOne more line.\n")
    monkeypatch.chdir(first)
    code, output = invoke("run", "--resume", str(folder), "--no-cache")
    assert code == 2
    assert "changed since this run started" in output


# --- evalsum init -----------------------------------------------------------------------------


def layout(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_init_lays_out_a_project_that_validates_and_scores_perfectly(
    tmp_path: Path, cache_dir: Path
) -> None:
    result = evalsum(tmp_path, "init", "project")
    assert result.returncode == 0, result.stderr
    project = tmp_path / "project"
    assert layout(project) == STARTER_LAYOUT
    for path in STARTER_LAYOUT:
        assert f"  {path}\n" in result.stdout
    assert f"cd {project.resolve()}\n" in result.stdout
    assert "evalsum validate" in result.stdout and "evalsum run" in result.stdout
    custom = (project / "prompts" / "custom.prompt").read_bytes()
    assert custom == (BUILTIN_PROMPTS_DIR / "v2.prompt").read_bytes()

    validated = evalsum(project, "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    cache = ["--cache-dir", str(cache_dir)]
    ran = evalsum(project, "run", "--model", "mock/oracle", *cache)
    assert ran.returncode == 0, ran.stderr
    assert "overall score: 1.000" in ran.stdout
    ran = evalsum(
        project,
        "run",
        "--model",
        "mock/oracle",
        "--prompts-dir",
        "prompts",
        "--prompt",
        "custom",
        *cache,
    )
    assert ran.returncode == 0, ran.stderr
    assert report_of(project / run_folder(ran.stdout))["run"]["prompt"]["name"] == "custom"


def test_init_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("my own readme\n")
    code, output = invoke("init", str(tmp_path))
    assert code == 2
    assert output.startswith(f"error: refusing to overwrite {tmp_path.resolve() / 'README.md'}")
    assert "--force" in output and "Traceback" not in output
    assert layout(tmp_path) == {"README.md"}, "nothing is written when refusing"
    assert (tmp_path / "README.md").read_text() == "my own readme\n"

    code, output = invoke("init", str(tmp_path), "--force")
    assert code == 0, output
    assert "README.md  (overwritten)" in output
    assert layout(tmp_path) == STARTER_LAYOUT
    assert (tmp_path / "README.md").read_bytes() == (STARTER_DIR / "README.md").read_bytes()


def test_init_defaults_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = invoke("init")
    assert code == 0, output
    assert layout(tmp_path) == STARTER_LAYOUT
    assert "\n  cd " not in output  # already there


def test_starter_gold_is_the_repository_seed_gold_byte_for_byte() -> None:
    """The repository's gold/ is the source of truth; `make starter` refreshes the copy."""
    packaged = STARTER_DIR / "gold"
    assert {p.name for p in packaged.iterdir() if p.is_dir()} == SEEDS
    files = layout(packaged)
    assert files == {"README.md"} | {f for f in layout(GOLD) if f.split("/")[0] in SEEDS}
    stale = [f for f in sorted(files) if (packaged / f).read_bytes() != (GOLD / f).read_bytes()]
    assert not stale, f"starter gold differs from gold/ in {stale}: run `make starter`"


def test_builtin_prompts_have_one_copy_only() -> None:
    assert {p.name for p in BUILTIN_PROMPTS_DIR.glob("*.prompt")} == {"v1.prompt", "v2.prompt"}
    assert not list((REPO / "prompts").glob("*.prompt")), "prompts/ is for the user's prompts"


def test_starter_workflow_gates_a_mock_run_and_compares_with_the_baseline() -> None:
    yaml = pytest.importorskip("yaml")
    [workflow] = [f for f in starter_files() if f.target.name == "evalsum.yml"]
    text = workflow.data.decode()
    assert f"evalsum=={__version__}" in text
    steps = yaml.safe_load(text)["jobs"]["evaluate"]["steps"]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "evalsum validate" in commands
    assert "evalsum run --model mock/" in commands and "--fail-under" in commands
    assert "evalsum compare reports/baseline/report.json" in commands
    assert "--fail-on-regression" in commands


# --- a wheel install --------------------------------------------------------------------------


@pytest.mark.slow
def test_a_wheel_has_the_prompts_and_the_starter(tmp_path: Path, cache_dir: Path) -> None:
    """Built from a copy of the sources and unpacked: `init` and a run work from it alone."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(REPO / name, source / name)
    shutil.copytree(
        REPO / "harness", source / "harness", ignore=shutil.ignore_patterns("__pycache__")
    )
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    built = subprocess.run(
        [*pip_wheel, "--no-index", "--quiet", "--wheel-dir", str(tmp_path / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("evalsum-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)

    env = {"PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import harness; print(harness.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert Path(where.stdout.strip()).is_relative_to(site), "the wheel's copy is the one imported"

    def evalsum_from_wheel(cwd: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "harness.cli.main", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, **env},
        )

    result = evalsum_from_wheel(tmp_path, "init", "project")
    assert result.returncode == 0, result.stderr
    project = tmp_path / "project"
    assert layout(project) == STARTER_LAYOUT
    ran = evalsum_from_wheel(
        project, "run", "--model", "mock/oracle", "--cache-dir", str(cache_dir)
    )
    assert ran.returncode == 0, ran.stderr
    assert "overall score: 1.000" in ran.stdout
