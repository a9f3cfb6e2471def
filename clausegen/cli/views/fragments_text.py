"""Text views of the legal fragments for ``clausegen fragments list|show|diff``."""

from __future__ import annotations

import difflib
from datetime import date

from clausegen.law.fragments import Fragment, FragmentRegistry


def fragment_list(registry: FragmentRegistry, at: date | None) -> str:
    """One line per fragment: its versions (or the one in force at ``at``) and its title."""
    rows = []
    for fragment in registry:
        if at is None:
            versions = ", ".join(v.effective_from.isoformat() for v in fragment.versions)
        else:
            version = fragment.version_at(at)
            versions = version.effective_from.isoformat() if version else "none in force"
        rows.append((fragment.id, versions, fragment.title))
    heading = ("Fragment", "Versions" if at is None else f"In force on {at.isoformat()}", "Title")
    widths = [max(len(row[i]) for row in [heading, *rows]) for i in range(2)]
    lines = [f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}" for row in [heading, *rows]]
    lines.insert(1, f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * 5}")
    return "\n".join(lines) + "\n"


def fragment_show(fragment: Fragment, at: date | None) -> str:
    """The version in force at ``at`` (the newest without a date), with where it comes from."""
    resolved = fragment.at(at) if at is not None else None
    version = resolved.version if resolved is not None else fragment.versions[-1]
    index = fragment.versions.index(version)
    following = fragment.versions[index + 1] if index + 1 < len(fragment.versions) else None
    if version.until is not None:
        period = f"from {version.effective_from} to {version.until}"
    elif following is not None:
        period = f"from {version.effective_from} until {following.effective_from}"
    else:
        period = f"from {version.effective_from} (newest version)"
    header = [
        f"{fragment.id}@{version.effective_from} — {fragment.title}",
        f"In force: {period}",
        f"Source:   {version.source}",
        f"Status:   {version.reliability.value} ({version.reliability.label})",
        f"Versions: {', '.join(v.effective_from.isoformat() for v in fragment.versions)}",
        f"File:     {fragment.source}",
        f"sha256:   {version.sha256}",
    ]
    return "\n".join(header) + "\n\n" + version.text.rstrip("\n") + "\n"


def fragment_diff(fragment: Fragment, first: date, second: date) -> str:
    """A unified diff of the versions in force at two dates (a note when they are the same)."""
    before, after = fragment.at(first), fragment.at(second)
    if before.version == after.version:
        return (
            f"{before.citation} is in force on both {first} and {second}; there is no difference.\n"
        )
    lines = difflib.unified_diff(
        before.version.text.splitlines(keepends=True),
        after.version.text.splitlines(keepends=True),
        fromfile=f"{before.citation} (in force on {first})",
        tofile=f"{after.citation} (in force on {second})",
    )
    return "".join(lines)
