"""Two clean builds of the same sources give the same bytes, for the site and the EPUB.

Each build gets fresh output and doctree folders. SOURCE_DATE_EPOCH stands for the
build date; a different PYTHONHASHSEED per build shakes out anything that depends on
the order of a set or a dict of strings.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import sphinx_build

SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def build_twice(builder: str, scratch: Path) -> tuple[Path, Path]:
    first, second = (
        sphinx_build(
            builder, scratch / name / builder, "-d", str(scratch / name / "doctrees"),
            env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONHASHSEED": seed},
        )
        for name, seed in [("first", "1"), ("second", "2")]
    )
    return first, second


def how_zips_differ(first: Path, second: Path) -> str:
    """Which members of two zip files (an EPUB is one) differ, and in what."""
    with zipfile.ZipFile(first) as one, zipfile.ZipFile(second) as other:
        members_one = {info.filename: info for info in one.infolist()}
        members_other = {info.filename: info for info in other.infolist()}
        differences = []
        if list(members_one) != list(members_other):
            differences.append("members in a different order or not the same members")
        for name in sorted(members_one.keys() & members_other.keys()):
            info_one, info_other = members_one[name], members_other[name]
            if one.read(name) != other.read(name):
                differences.append(f"{name}: content")
            elif info_one.date_time != info_other.date_time:
                differences.append(f"{name}: timestamp {info_one.date_time} / {info_other.date_time}")
            elif info_one.compress_type != info_other.compress_type:
                differences.append(f"{name}: compression")
    return "; ".join(differences) or "zip metadata"


def describe_difference(first: Path, second: Path) -> str:
    if not first.exists() or not second.exists():
        return "only in one build"
    if zipfile.is_zipfile(first):
        return how_zips_differ(first, second)
    return "content"


@pytest.mark.parametrize("builder", ["html", "epub"])
def test_two_clean_builds_are_byte_identical(builder: str, tmp_path: Path) -> None:
    first, second = build_twice(builder, tmp_path)
    files = sorted(
        {path.relative_to(first) for path in first.rglob("*") if path.is_file()}
        | {path.relative_to(second) for path in second.rglob("*") if path.is_file()}
    )
    differing = [
        f"{name}: {describe_difference(first / name, second / name)}"
        for name in files
        if not (first / name).is_file() or not (second / name).is_file()
        or (first / name).read_bytes() != (second / name).read_bytes()
    ]
    assert not differing, (
        f"two clean {builder} builds differ in {len(differing)} of {len(files)} files:\n"
        + "\n".join(differing)
    )
