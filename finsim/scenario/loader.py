"""Finding, reading and validating scenario files and the base intent library."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from finsim.errors import InputFileError, Location, NotFoundError, ValidationFailed
from finsim.i18n import tr
from finsim.resources import env_scenario_dirs, shipped_dir
from finsim.scenario.checks import CheckReport, check_library_roles, check_scenario
from finsim.scenario.models import INTENTS_SCHEMA, SCENARIO_SCHEMA, IntentLibrary, Scenario
from finsim.validation import problem_line, validate_document
from finsim.yamlio import YamlDocument, load_yaml

DEFAULT_SCENARIO_ID = "retired-teacher"
"""The scenario a drill uses when none is named."""

LIBRARY_FILE = Path("library") / "intents.yaml"
YAML_SUFFIXES = frozenset({".yaml", ".yml"})

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class LoadedScenario:
    """A valid scenario with the file it came from and its lint warnings."""

    scenario: Scenario
    path: Path
    warnings: tuple[str, ...] = ()


def load_versioned(path: Path, model: type[ModelT], schema: str) -> tuple[ModelT, YamlDocument]:
    """Read a YAML file, check its ``schema:`` line, validate it against ``model``."""
    doc = load_yaml(path)
    require_schema(doc, schema)
    return validate_document(model, doc), doc


def require_schema(doc: YamlDocument, schema: str) -> None:
    """Fail clearly unless ``doc`` is a mapping that declares ``schema``."""
    if not isinstance(doc.data, dict):
        message = tr(
            "顶层必须是映射（键: 值），而不是列表或单个值",
            "the top level must be a mapping (key: value), not a list or a single value",
        )
        raise ValidationFailed([problem_line(doc, (), message)])
    declared: Any = doc.data.get("schema")
    if declared != schema:
        raise ValidationFailed([problem_line(doc, ("schema",), _schema_message(declared, schema))])


def _schema_message(declared: Any, schema: str) -> str:
    """Explain a wrong ``schema:`` line: missing, another format, or another version."""
    name, _, version = schema.partition("@")
    if declared is None:
        return tr(
            f"缺少格式声明：请在文件开头加上 “schema: {schema}”",
            f"no format line: add 'schema: {schema}' at the top",
        )
    other = str(declared).partition("@")[2]
    # ASCII digits only, and few: "@²" passes isdigit() and "@" + 5,000 digits int()'s limit
    if not (str(declared).startswith(name + "@") and re.fullmatch("[0-9]{1,9}", other)):
        return tr(
            f"格式声明 “{declared}” 不对，应为 “{schema}”",
            f"format line '{declared}' is wrong; it should be '{schema}'",
        )
    if int(other) > int(version):
        return tr(
            f"这个文件是较新的 {declared} 格式，本版 finsim 只能读取 {schema}；请升级 finsim",
            f"this file is in the newer format {declared}; this finsim reads {schema}: "
            "upgrade finsim",
        )
    return tr(
        f"这个文件是旧的 {declared} 格式，本版 finsim 只读取 {schema}；"
        "请按新格式改写（字段说明见 finsim scenario schema）",
        f"this file is in the older format {declared}; this finsim reads only {schema}: "
        "rewrite it (see finsim scenario schema for the fields)",
    )


@lru_cache(maxsize=8)
def _load_library_cached(path: Path) -> IntentLibrary:
    library, doc = load_versioned(path, IntentLibrary, INTENTS_SCHEMA)
    problems = check_library_roles(library, doc)
    if problems:
        raise ValidationFailed(problems)
    return library


def base_library_path() -> Path:
    """Return the path of the shipped base intent library."""
    return shipped_dir("scenarios") / LIBRARY_FILE


def load_base_library() -> IntentLibrary:
    """Load the shipped base intent library (read once per process)."""
    return _load_library_cached(base_library_path())


def read_scenario(path: Path, library: IntentLibrary | None = None) -> tuple[Scenario, CheckReport]:
    """Read and fully check one scenario file; malformed input raises, references are reported."""
    scenario, doc = load_versioned(path, Scenario, SCENARIO_SCHEMA)
    report = check_scenario(scenario, library or load_base_library(), doc)
    return scenario, report


def load_scenario_file(path: Path, library: IntentLibrary | None = None) -> LoadedScenario:
    """Read a scenario for use; any error (not warning) raises :class:`ValidationFailed`."""
    scenario, report = read_scenario(path, library)
    if report.errors:
        raise ValidationFailed(report.errors)
    return LoadedScenario(scenario, path, tuple(report.warnings))


class ScenarioCatalog:
    """The scenarios on the search path: user folders first, then the shipped pack."""

    def __init__(self, extra_dirs: Sequence[Path] = ()) -> None:
        self.dirs: list[Path] = [*extra_dirs, *env_scenario_dirs(), shipped_dir("scenarios")]
        for folder in self.dirs[: len(self.dirs) - 1]:
            if not folder.is_dir():
                raise InputFileError(
                    tr(
                        f"场景目录 “{folder}” 不存在或不是目录；"
                        "请检查 --scenarios 或环境变量 FINSIM_SCENARIOS",
                        f"scenario folder '{folder}' does not exist or is not a folder; "
                        "check --scenarios or the FINSIM_SCENARIOS variable",
                    )
                )

    def files(self) -> list[Path]:
        """Every scenario file on the search path, in order (a later same-named id is shadowed)."""
        found: list[Path] = []
        for folder in self.dirs:
            if folder.is_dir():
                found.extend(sorted(p for p in folder.iterdir() if _is_yaml_file(p)))
        return found

    def ids(self) -> dict[str, Path]:
        """Map each scenario id to its file (loads and checks every scenario)."""
        mapping: dict[str, Path] = {}
        for loaded in self.load_all():
            mapping.setdefault(loaded.scenario.id, loaded.path)
        return mapping

    def load_all(self) -> list[LoadedScenario]:
        """Load every scenario on the search path; the first broken file raises."""
        seen: set[str] = set()
        result: list[LoadedScenario] = []
        for path in self.files():
            loaded = load_scenario_file(path)
            if loaded.scenario.id not in seen:
                seen.add(loaded.scenario.id)
                result.append(loaded)
        return result

    def resolve(self, ref: str | None) -> LoadedScenario:
        """Find a scenario by id or by file path; ``None`` gives the default scenario."""
        ref = DEFAULT_SCENARIO_ID if ref is None else ref  # "" is a wrong id, not the default
        if _looks_like_path(ref):
            return load_scenario_file(Path(ref))
        for path in self.files():
            declared = _declared_id(path)
            # a file named after the id that cannot be read shows its own error, not "not found"
            if declared == ref or (declared is None and path.stem == ref):
                return load_scenario_file(path)
        if ref and Path(ref).is_dir():
            raise InputFileError(
                tr(
                    "这是一个目录，不是场景文件；请给出 .yaml 文件或场景编号"
                    "（目录可用 --scenarios 加入搜索路径）",
                    "is a directory, not a scenario file; give a .yaml file or a scenario id"
                    " (add a folder to the search path with --scenarios)",
                ),
                Location(ref),
            )
        known = tr("、", ", ").join(sorted(_declared_ids(self.files()))) or tr("（无）", "(none)")
        raise NotFoundError(
            tr(
                f"找不到场景 “{ref}”；可用的场景：{known}",
                f"no scenario '{ref}'; available: {known}",
            )
        )


def _is_yaml_file(path: Path) -> bool:
    return path.suffix in YAML_SUFFIXES and path.is_file()


def _looks_like_path(ref: str) -> bool:
    """Tell a file path (``x.yaml``, ``dir/x``, an existing file) from a scenario id."""
    candidate = Path(ref)
    return candidate.suffix in YAML_SUFFIXES or len(candidate.parts) > 1 or candidate.is_file()


def _declared_id(path: Path) -> str | None:
    """Read the ``id:`` of a scenario file without validating it (for lookup by id)."""
    try:
        doc = load_yaml(path)
    except InputFileError:
        return None
    data = doc.data
    return data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None


def _declared_ids(paths: Iterable[Path]) -> set[str]:
    return {i for i in (_declared_id(p) for p in paths) if i}
