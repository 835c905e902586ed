"""Class-level operations: create a class from a roster, pick the class, set its groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from finsim.classroom.roster import read_roster
from finsim.classroom.settings import ClassSettings
from finsim.errors import NotFoundError, StorageError, UsageError
from finsim.i18n import tr
from finsim.store import ClassInfo, ClassStore, Member, now_iso
from finsim.validation import plain_errors


@dataclass(frozen=True)
class RosterImport:
    """What ``class init`` did."""

    info: ClassInfo
    added: int
    updated: int
    created: bool


def init_class(
    store: ClassStore,
    class_id: str,
    roster: Path,
    *,
    name: str | None = None,
    settings: ClassSettings | None = None,
    update: bool = False,
) -> RosterImport:
    """Create a class from a roster (or, with ``update``, merge the roster into it)."""
    if not class_id.strip():
        raise UsageError(tr("班级编号不能为空", "the class id cannot be empty"))
    students = read_roster(roster)  # read first: a bad file changes nothing
    existing = store.get_class(class_id)
    created = existing is None
    if existing is None:
        info = ClassInfo(
            class_id,
            name or class_id,
            now_iso(),
            (settings or ClassSettings.from_store({})).to_store(),
        )
        store.create_class(info)
    elif not update:
        raise UsageError(
            tr(
                f"班级 “{class_id}” 已存在；要合并新名单请加 --update",
                f"class '{class_id}' exists already; add --update to merge the roster",
            )
        )
    elif settings is not None:
        store.set_settings(class_id, settings.to_store())
    added, updated = store.upsert_students(class_id, students)
    info_now = store.get_class(class_id)
    assert info_now is not None
    return RosterImport(info_now, added, updated, created)


def resolve_class(store: ClassStore, class_id: str | None) -> ClassInfo:
    """Return the named class, or the only class there is; fail clearly otherwise."""
    classes = store.list_classes()
    if class_id is not None:
        for info in classes:
            if info.id == class_id:
                return info
        raise NotFoundError(_no_class(class_id, classes, store.location))
    if len(classes) == 1:
        return classes[0]
    if not classes:
        raise NotFoundError(
            tr(
                f"数据库 {store.location} 中还没有班级；先运行 finsim class init 名单.csv",
                f"the database {store.location} has no class yet: run finsim class init ROSTER.csv",
            )
        )
    raise UsageError(
        tr(
            f"有 {len(classes)} 个班级，请用 --class 指定：{'、'.join(c.id for c in classes)}",
            f"there are {len(classes)} classes; pick one with --class: "
            f"{', '.join(c.id for c in classes)}",
        )
    )


def _no_class(class_id: str, classes: Sequence[ClassInfo], location: str) -> str:
    known = "、".join(c.id for c in classes) or tr("（无）", "(none)")
    return tr(
        f"数据库 {location} 中没有班级 “{class_id}”；已有：{known}",
        f"the database {location} has no class '{class_id}'; it has: {known}",
    )


def class_settings(info: ClassInfo) -> ClassSettings:
    """Return the class's stored settings (settings that no longer validate: a storage error)."""
    try:
        return ClassSettings.from_store(dict(info.settings))
    except ValidationError as exc:
        problems = "；".join(plain_errors(exc))
        raise StorageError(
            tr(
                f"数据库中班级 {info.id} 的评分设置已损坏（{problems}）；"
                "请用 finsim class settings 设置文件.yaml 重新设置",
                f"the stored settings of class {info.id} are damaged ({problems}): set them "
                "again with finsim class settings FILE.yaml",
            )
        ) from None


def set_groups(store: ClassStore, info: ClassInfo, members: Sequence[Member]) -> None:
    """Replace the class's groups; every member must be on the roster."""
    known = {s.student_id for s in store.list_students(info.id)}
    strangers = sorted({m.student_id for m in members} - known)
    if strangers:
        raise UsageError(
            tr(
                f"这些学号不在名单中：{'、'.join(strangers)}",
                f"not on the roster: {', '.join(strangers)}",
            )
        )
    store.replace_groups(info.id, members)
