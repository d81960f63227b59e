"""Publishing rubrics as immutable versions, and finding them again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_toolkit.errors import NotFoundError
from qa_toolkit.rubrics import LoadedRubric, Rubric, library, load_rubric
from qa_toolkit.services import audit, roles
from qa_toolkit.storage.models import RubricVersion


@dataclass(frozen=True)
class Published:
    """The version a publication stored (or found: publishing unchanged content creates nothing)."""

    version: RubricVersion
    created: bool


def resolve_file(name_or_path: str | Path) -> Path:
    """A rubric file: a path, or the name of a shipped rubric (``support-chat``).

    Raises:
        NotFoundError: neither a file nor a shipped rubric.
    """
    path = Path(name_or_path)
    if path.exists():
        return path
    shipped = library()
    if str(name_or_path) in shipped:
        return shipped[str(name_or_path)]
    raise NotFoundError(f"no rubric file {str(name_or_path)!r} (shipped rubrics: {', '.join(shipped)})")


def version_as_dict(version: RubricVersion) -> dict[str, Any]:
    """A version's identity as plain data."""
    return {"name": version.name, "version": version.version, "content_hash": version.content_hash,
            "channels": version.channels, "published_at": version.published_at.isoformat(),
            "published_by": version.published_by}


def publish(session: Session, loaded: LoadedRubric, *, actor: str | None = None) -> Published:
    """Store a rubric as a new immutable version, unless the same content is already published.

    Raises:
        NotAllowedError: once users exist, only leads, trainers and admins publish (see :func:`roles.authorize`).
    """
    roles.authorize(session, actor, roles.PUBLISH, "publish rubrics")
    rubric = loaded.rubric
    existing = session.scalar(select(RubricVersion).where(RubricVersion.name == rubric.name,
                                                          RubricVersion.content_hash == loaded.content_hash))
    if existing is not None:
        return Published(existing, False)
    latest = session.scalar(select(func.max(RubricVersion.version)).where(RubricVersion.name == rubric.name)) or 0
    version = RubricVersion(name=rubric.name, version=latest + 1, content_hash=loaded.content_hash,
                            channels=list(rubric.channels), body=loaded.body, source=loaded.source,
                            published_by=actor)
    session.add(version)
    session.flush()
    audit.record(session, actor=actor, action="rubric.publish", entity_type="rubric_version",
                 entity_id=f"{rubric.name}@{version.version}", after=version_as_dict(version))
    return Published(version, True)


def publish_file(session: Session, path: str | Path, *, actor: str | None = None) -> Published:
    """Validate and publish a rubric file (or a shipped rubric by name)."""
    return publish(session, load_rubric(resolve_file(path)), actor=actor)


def get_version(session: Session, name: str, version: int | None = None) -> RubricVersion:
    """The latest published version of rubric ``name`` (or the given version number).

    Raises:
        NotFoundError: not published (the message says how to publish it).
    """
    query = select(RubricVersion).where(RubricVersion.name == name)
    query = query.where(RubricVersion.version == version) if version else query.order_by(RubricVersion.version.desc())
    found = session.scalars(query.limit(1)).first()
    if found is None:
        what = f"version {version} of rubric {name!r}" if version else f"rubric {name!r}"
        raise NotFoundError(f"{what} is not published: run `qa rubric publish FILE` "
                            f"(published: {', '.join(latest_names(session)) or 'none'})")
    return found


def latest_names(session: Session) -> list[str]:
    """Names of all published rubrics."""
    return list(session.scalars(select(RubricVersion.name).distinct().order_by(RubricVersion.name)))


def latest_versions(session: Session) -> list[RubricVersion]:
    """The latest version of every published rubric, by name."""
    newest = (select(RubricVersion.name, func.max(RubricVersion.version).label("v"))
              .group_by(RubricVersion.name).subquery())
    query = (select(RubricVersion)
             .join(newest, (RubricVersion.name == newest.c.name) & (RubricVersion.version == newest.c.v))
             .order_by(RubricVersion.name))
    return list(session.scalars(query))


def list_versions(session: Session, name: str | None = None) -> list[RubricVersion]:
    """Every published version, by name and version."""
    query = select(RubricVersion).order_by(RubricVersion.name, RubricVersion.version)
    if name:
        query = query.where(RubricVersion.name == name)
    return list(session.scalars(query))


def rubric_of(version: RubricVersion) -> Rubric:
    """The rubric model stored in a version."""
    return Rubric.model_validate(version.body)


def calibrate_file(name_or_path: str | Path, labels: str | Path) -> tuple[str, list[Any], int]:
    """Fit the exemplar thresholds and margins of a rubric file to hand labels (canonical JSONL).

    Returns the rubric text with the new values written in place, what was fitted per criterion, and how
    many values changed.

    Raises:
        RubricError: the rubric is invalid. QAError: the labels file is unreadable or malformed.
    """
    from qa_toolkit.scoring.calibrate import calibrate, write_thresholds
    from qa_toolkit.scoring.evaluate import read_labelled

    loaded = load_rubric(resolve_file(name_or_path))
    new_params, fitted = calibrate(loaded.rubric, read_labelled(labels))
    text, changed = write_thresholds(loaded.source, loaded.rubric, new_params)
    return text, fitted, changed


def check_accuracy(body: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The measured accuracy (held-out ``f1``, ``accuracy``, ``n``) a tuned version recorded for criterion
    ``key`` (``qa rubric tune``), None when it was not measured or the criterion has no check."""
    figures = ((body.get("measured") or {}).get("criteria") or {}).get(key)
    return dict(figures) if figures else None
