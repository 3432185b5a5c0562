"""Two clean builds of the same sources give the same bytes, for the site (both editions,
as `make html` builds them) and each edition's EPUB.

Each build is made from its own copy of the guide, in folders of different names and
depths, with fresh output and doctree folders: no absolute path or other detail of the
machine may reach any output file, `.buildinfo` included. SOURCE_DATE_EPOCH stands for
the build date; a different PYTHONHASHSEED per build shakes out anything that depends on
the order of a set or a dict of strings.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, TRANSLATIONS, sphinx_build

SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


NOT_IN_A_CHECKOUT = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "build", ".pytest_cache", "__pycache__", ".mypy_cache")


def checkout(folder: Path) -> Path:
    """A copy of the guide in `folder`, sharing this machine's installed npm tools."""
    shutil.copytree(ROOT, folder, ignore=NOT_IN_A_CHECKOUT)
    if (ROOT / "node_modules").is_dir():
        (folder / "node_modules").symlink_to(ROOT / "node_modules")
    return folder


def build(builder: str, guide: Path, out: Path, seed: str) -> Path:
    """One clean build of every edition: the HTML as `make html` builds it, each translation
    in its folder; each translation's EPUB in a folder of the English one's output."""
    env = {"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONHASHSEED": seed}
    site = sphinx_build(builder, out / builder, "-c", str(guide), "-d", str(out / "doctrees"),
                        source=guide / "source", env=env)
    for language in TRANSLATIONS:
        sphinx_build(builder, site / language, "-c", str(guide), "-D", f"language={language}",
                     "-d", str(out / f"doctrees-{language}"), source=guide / "source", env=env)
    return site


def build_twice(builder: str, scratch: Path) -> tuple[Path, Path]:
    first, second = (
        build(builder, guide, scratch / name / "out", seed)
        for name, seed, guide in [
            ("first", "1", checkout(scratch / "first" / "guide")),
            ("second", "2", checkout(scratch / "second-folder" / "deeper" / "plain-guide")),
        ]
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
