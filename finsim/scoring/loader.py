"""Reading a rubric file: YAML, schema line, model validation, then cross-references.

Every problem becomes a ``file:line:col: path: message`` line and the whole
list is raised as one :class:`~finsim.errors.ValidationFailed` (exit code 2).
"""

from __future__ import annotations

from pathlib import Path

from finsim.crossrefs import CrossRefs
from finsim.errors import InputFileError, ValidationFailed
from finsim.i18n import tr
from finsim.resources import shipped_dir
from finsim.scenario.checks import INTENT
from finsim.scenario.loader import load_base_library, load_versioned
from finsim.scenario.models import IntentLibrary
from finsim.scoring.acts import scorer_violations
from finsim.scoring.rubric import DEFAULT_RUBRIC_FILE, RUBRIC_SCHEMA, Check, Criterion, Rubric
from finsim.yamlio import PathKey, YamlDocument

ENGINE_VIOLATIONS = ("unsuitable_recommendation", "missing_disclosure")
"""Violation ids the client engine records besides the red-line intents."""


def default_rubric_path() -> Path:
    """Return the path of the shipped default rubric."""
    return shipped_dir("scoring") / DEFAULT_RUBRIC_FILE


class RubricCatalog:
    """The rubrics a command can name: a shipped rubric by its id, or any rubric file."""

    def __init__(self, shipped: Path | None = None) -> None:
        """Look for shipped rubrics in ``shipped`` (default: the folder installed with finsim)."""
        self.shipped = shipped or shipped_dir("scoring")

    def ids(self) -> list[str]:
        """Return the ids of the shipped rubrics (their file names without ``.yaml``), sorted."""
        return sorted(path.stem for path in self.shipped.glob("*.yaml"))

    def path(self, ref: str | Path | None) -> Path:
        """Find a rubric file: ``None`` is the default, else an existing path or a shipped id."""
        if ref is None:
            return self.shipped / DEFAULT_RUBRIC_FILE
        given = Path(ref)
        if given.exists() or given.suffix in {".yaml", ".yml"}:
            return given  # a missing .yaml file is reported by the reader, with its name
        shipped = self.shipped / f"{ref}.yaml"
        if given.name == str(ref) and shipped.is_file():
            return shipped
        ids = self.ids()
        raise InputFileError(
            tr(
                f"找不到评分标准 “{ref}”：请给出 YAML 文件路径"
                f"或自带评分标准的编号（{'、'.join(ids)}）",
                f"no rubric '{ref}': give a YAML file path or a shipped rubric id"
                f" ({', '.join(ids)})",
            )
        )

    def resolve(self, ref: str | Path | None) -> Rubric:
        """Read and check the rubric ``ref`` names (see :meth:`path`)."""
        return read_rubric(self.path(ref))


def read_rubric(path: Path | None = None, library: IntentLibrary | None = None) -> Rubric:
    """Read, validate and cross-check a rubric; ``None`` reads the shipped default."""
    rubric, doc = load_versioned(path or default_rubric_path(), Rubric, RUBRIC_SCHEMA)
    problems = check_rubric(rubric, library or load_base_library(), doc)
    if problems:
        raise ValidationFailed(problems)
    return rubric


class _Checker(CrossRefs):
    def __init__(self, library: IntentLibrary, doc: YamlDocument) -> None:
        super().__init__(doc)
        self.library = library


VIOLATION = ("违规类型", "violation")
FORM_REF = ("步骤或总体评分项", "step or overall criterion")


def check_rubric(rubric: Rubric, library: IntentLibrary, doc: YamlDocument) -> list[str]:
    """Every cross-reference problem of ``rubric`` as ``file:line:col`` lines."""
    c = _Checker(library, doc)
    c.unique(("steps",), [s.id for s in rubric.steps])
    c.unique(("overall",), [x.id for x in rubric.overall])
    templates = [(("steps", i), s) for i, s in enumerate(rubric.steps)] + [
        (("generic",), rubric.generic)
    ]
    for key_path, template in templates:
        c.unique((*key_path, "criteria"), [x.id for x in template.criteria])
        for j, criterion in enumerate(template.criteria):
            _check_criterion(c, (*key_path, "criteria", j), criterion, overall=False)
    for j, criterion in enumerate(rubric.overall):
        _check_criterion(c, ("overall", j), criterion, overall=True)
    violations = _violation_ids(library)
    c.refs(("red_lines",), [r.id for r in rubric.red_lines], violations, VIOLATION)
    _check_forms(c, rubric)
    return c.errors


def _violation_ids(library: IntentLibrary) -> list[str]:
    return (
        [i.id for i in library.intents if i.red_line]
        + list(ENGINE_VIOLATIONS)
        + list(scorer_violations(library.roles))
    )


def _check_criterion(
    c: _Checker, key_path: PathKey, criterion: Criterion, *, overall: bool
) -> None:
    intents = [i.id for i in c.library.intents]
    for k, check in enumerate(criterion.checks):
        at = (*key_path, "checks", k)
        c.refs((*at, "intents"), check.intents, intents, INTENT)
        c.refs((*at, "before"), check.before, intents, INTENT)
        c.refs((*at, "via"), check.via, intents, INTENT)
        c.refs((*at, "violations"), check.violations, _violation_ids(c.library), VIOLATION)
        if overall and _needs_step(check):
            c.error(
                (*at, "kind"),
                f"总体评分项不属于某一步，不能用 “{check.kind}” 类检查或 scope: step",
                f"an overall criterion belongs to no step: '{check.kind}' checks "
                "and scope: step are not allowed",
            )


def _needs_step(check: Check) -> bool:
    if check.kind == "key_points":
        return True
    if check.kind == "facts":
        return check.scope == "step" and not check.via
    stepwise = {"intent", "intent_before", "objections", "no_violation", "trust", "suitability"}
    return check.scope == "step" and check.kind in stepwise


def _check_forms(c: _Checker, rubric: Rubric) -> None:
    step_ids = {s.id for s in rubric.steps}
    known = step_ids | {x.id for x in rubric.overall}
    referenced_step = False
    for kind in ("peer", "teacher", "client_roleplay"):
        items = getattr(rubric.forms, kind).items
        for i, item in enumerate(items):
            at: PathKey = ("forms", kind, "items", i)
            if item.ref is not None:
                c.ref((*at, "ref"), item.ref, known, FORM_REF)
            if item.ref in step_ids:
                referenced_step = True
                template = rubric.template(item.ref)
                if template.levels is None and item.levels is None:
                    c.error(
                        (*at, "ref"),
                        f"步骤 “{item.ref}” 没有 levels，表单无法给出等级描述",
                        f"step '{item.ref}' has no levels for the form",
                    )
        keys = [item.key or item.ref or "" for item in items]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        for key in dupes:
            c.error(
                ("forms", kind, "items"), f"表单项 “{key}” 重复", f"form item '{key}' appears twice"
            )
    if referenced_step and rubric.generic.levels is None:
        c.error(
            ("generic",),
            "表单引用了步骤，通用步骤模板也需要 levels",
            "forms refer to steps, so the generic template needs levels too",
        )
