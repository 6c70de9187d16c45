"""Find the submissions in what a TA points at: notebooks, folders, and zips (otter exports,
LMS bulk downloads, Gradescope exports), and say who each belongs to.

Nothing here runs student code. A bad path is reported before any work starts.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

MAX_NOTEBOOK_BYTES = 50 * 2**20  # a notebook with outputs is a few MB; more is not a homework
MAX_ZIP_BYTES = 2 * 2**30  # total uncompressed size of one zip we are willing to read
MAX_INNER_ZIP_BYTES = 200 * 2**20  # an otter export inside an LMS download is a few MB
MAX_METADATA_BYTES = 20 * 2**20  # Gradescope's submission_metadata.yml: a few KB per submission
METADATA = "submission_metadata.yml"
MAX_NAME = 100  # characters of a student's name we keep (names are untrusted: bounded, printable)
MAX_STEM = 80  # characters of a results/<stem>.json name: Hangul is 3 bytes each, a file name at most 255

# Canvas's bulk download (lib/content_zipper.rb in canvas-lms) names each file
#   <sortable name>[_LATE]_<user id>_<attachment id>_<file>     or, under anonymous grading,
#   [LATE_]anon_<anonymous id>_<attachment id>_<file>
# The name is the sortable name lowercased with every non-word character removed (any script:
# 김민준), `_digits_` squeezed out of it; late is `LATE` or `late`; a name already in the zip gets
# -1, -2 (or -<uuid>) before its extension (Attachment.make_unique_filename).
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"  # [[:word:]] has them
CANVAS = re.compile(
    r"^(?:(?:(?P<late_anon>(?i:late))_)?anon_(?P<anon>[A-Za-z0-9]{1,40})"
    rf"|(?P<name>[\w{_MARKS}]{{1,300}}?)(?:_(?P<late>(?i:late)))?_(?P<uid>\d{{3,20}}))"
    r"_(?P<fid>\d{3,20})_(?P<file>.+)$")
RESUBMITTED = re.compile(r"-(?:\d{1,6}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=(?:\.[^.]*)?$)")
# otter's export zip: <notebook>_<timestamp>.zip, as grader.export() names it
OTTER_EXPORT = re.compile(r"_\d{4}_\d{2}_\d{2}T\d{2}_\d{2}_\d{2}_\d{6}")


class InputError(Exception):
    """A path the TA gave cannot be used: said before any grading starts."""


def clean_name(value: object, limit: int = MAX_NAME) -> str:
    """A name for people and files we write: NFC, no control or format characters (no newline, no
    bidi override), spaces collapsed, at most `limit` characters. Anything not a string reads as ""."""
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFC", value[: limit * 4])
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text
                   if unicodedata.category(c) not in ("Cf", "Cs", "Co", "Cn"))
    return " ".join(text.split())[:limit]


def canvas_name(filename: str) -> dict[str, Any] | None:
    """What a Canvas bulk-download file name says, or None if it is not one: the student's name as
    Canvas wrote it, the Canvas user id (or the anonymous id), the attachment id, late or not, and
    the student's own file name (a -N Canvas added to keep names apart removed)."""
    m = CANVAS.match(unicodedata.normalize("NFC", PurePosixPath(filename).name))
    if not m:
        return None
    original = clean_name(RESUBMITTED.sub("", m["file"], count=1), 200)
    return {"name": clean_name(m["name"] or f"anon_{m['anon']}"), "user_id": m["uid"] or "",
            "anonymous_id": m["anon"] or "", "file_id": m["fid"], "late": bool(m["late"] or m["late_anon"]),
            "file": original}


@dataclass
class Who:
    """Whose a submission is. `members`: the people it counts for, each {name, canvas_id, sid,
    email} (several for a Gradescope group; none when only a file name says who)."""
    student: str
    student_id: str = ""
    members: list[dict[str, str]] = field(default_factory=list)
    group: str = ""  # a Gradescope group submission: its folder (submission_111)
    canvas: dict[str, Any] = field(default_factory=dict)  # canvas_name() of a Canvas download's file


@dataclass
class Submission:
    stem: str  # unique in this batch: names results/<stem>.json
    source: str  # where it came from, for people: "class.zip:kim_123_456_hw04.ipynb"
    data: bytes
    student: str
    student_id: str = ""
    problem: str = ""  # set when it cannot be a notebook at all: graded as `invalid`
    members: list[dict[str, str]] = field(default_factory=list)
    group: str = ""
    canvas: dict[str, Any] = field(default_factory=dict)
    file_name: str = ""  # the submitted file's own name (no folder, no path): otter's `file` column
    sha256: str = field(init=False)

    def __post_init__(self):
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self.file_name = clean_name(self.file_name or PurePosixPath(self.source.replace("\\", "/")).name, 200)

    @classmethod
    def of(cls, stem: str, source: str, data: bytes, who: Who, file_name: str, problem: str = "") -> "Submission":
        return cls(stem, source, data, who.student, who.student_id, problem, [dict(m) for m in who.members],
                   who.group, dict(who.canvas), file_name)


def _named(filename: str) -> Who:
    """Who a file's own name says it is: a Canvas download's student, else nobody but the file."""
    canvas = canvas_name(filename)
    if canvas is None:
        return Who(clean_name(PurePosixPath(filename).stem, 200))
    member = {"name": canvas["name"], "canvas_id": canvas["user_id"], "sid": "", "email": ""}
    return Who(canvas["name"], canvas["user_id"], [member], canvas=canvas)


def _students_zip(name: str) -> bool:
    """A zip named as one student's: an otter export (hw04_2026_11_27T10_00_00_000000.zip) or a
    file in a Canvas download. Its contents are the student's, so no metadata in it is believed."""
    return bool(OTTER_EXPORT.search(name) or CANVAS.match(name))


def _export_root(infos: list[zipfile.ZipInfo]) -> str | None:
    """Where a Gradescope export keeps submission_metadata.yml: the zip's root, or the single top
    folder Gradescope wraps it in (assignment_1_export/). Anywhere else it is a student's file."""
    names = {i.filename for i in infos}
    if METADATA in names:
        return ""
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and f"{next(iter(tops))}/{METADATA}" in names:
        return next(iter(tops)) + "/"
    return None


def _gradescope_metadata(zf: zipfile.ZipFile, root: str) -> dict[str, object]:
    """submission folder -> its entry in a Gradescope export's submission_metadata.yml.
    The file is untrusted data: safe_load, a size cap, and anything not a mapping reads as empty."""
    import yaml

    try:
        info = zf.getinfo(root + METADATA)
        meta = yaml.safe_load(zf.read(info)) if info.file_size <= MAX_METADATA_BYTES else None
    except Exception:  # bad YAML, nested too deeply, a broken zip entry: no names, not a crash
        return {}
    return _fields(meta)


def _submitters(entry: object) -> Who:
    """Who submitted one Gradescope submission (several for a group): names and ids joined for
    `student`/`student_id`, and each submitter as a member."""
    people = _fields(entry).get("submitters")
    people = [_fields(p) for p in people[:20]] if isinstance(people, list) else []
    members = [{"name": clean_name(_text(p.get("name"))), "canvas_id": "", "sid": clean_name(_text(p.get("sid"))),
                "email": clean_name(_text(p.get("email")), 200)} for p in people]
    members = [m for m in members if m["name"] or m["sid"] or m["email"]]
    names = ", ".join(filter(None, (m["name"] for m in members)))
    ids = ", ".join(filter(None, (m["sid"] or m["email"] for m in members)))
    return Who(names, ids, members)


def _fields(mapping: object) -> dict[str, object]:
    """A YAML mapping with text keys, Ruby's leading colon dropped (:name -> name); {} if not a mapping."""
    return {_text(k).lstrip(":"): v for k, v in mapping.items()} if isinstance(mapping, dict) else {}


def _text(value: object) -> str:
    """A short text or number from untrusted YAML, else "": an alias bomb or a 10,000-digit number
    never becomes a name."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**20:
        value = str(value)
    return value[:200] if isinstance(value, str) else ""


def _submission_folder(filename: str, root: str | None, meta: dict) -> str | None:
    """The Gradescope submission folder a file lies in (root/<folder>/...), if the metadata names it."""
    if root is None or not filename.startswith(root):
        return None
    parts = PurePosixPath(filename[len(root):]).parts
    return parts[0] if len(parts) > 1 and parts[0] in meta else None


def _from_zip(path: Path, data: bytes | None = None, label: str | None = None, depth: int = 0,
              owner: tuple[Who, str] | None = None) -> list[Submission]:
    """The submissions in a zip. `owner` (who, stem) is the Gradescope submission a nested zip was
    found in: everything in it is that submitter's, whatever the zip itself claims."""
    import io

    label = label or str(path)
    who, stem = owner or (_named(path.name), path.stem)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
    except (zipfile.BadZipFile, OSError) as e:
        return [Submission.of(stem, label, b"", who, path.name, problem=f"not a readable zip: {e}")]
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
        if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
            return [Submission.of(stem, label, b"", who, path.name, problem="zip expands to more than 2 GiB")]
        # Gradescope's metadata is believed only at the top of an export the TA gave, never in a
        # student's zip (nested, or named as a student's): a student could claim to be anyone.
        root = _export_root(infos) if depth == 0 and not owner and not _students_zip(path.name) else None
        meta = _gradescope_metadata(zf, root) if root is not None else {}
        notebooks = [i for i in infos if i.filename.endswith(".ipynb") and ".ipynb_checkpoints" not in i.filename]
        inner_zips = [i for i in infos if i.filename.endswith(".zip")]

        def whose(info: zipfile.ZipInfo) -> tuple[Who, str] | None:
            folder = _submission_folder(info.filename, root, meta)
            if owner or not folder:
                return owner
            submitters = _submitters(meta[folder])
            if len(submitters.members) > 1:
                submitters.group = folder
            submitters.student = submitters.student or folder
            return submitters, folder

        # A student's own zip (named as one, or inside a download): every notebook in it is that
        # student's, whatever its own name claims. A zip of one notebook is an otter export, named
        # by the zip, unless the notebook's name is Canvas's (a download of one submission).
        students_zip = depth > 0 or _students_zip(path.name)
        out: list[Submission] = []
        for info in notebooks:
            owned = whose(info)
            file_name = PurePosixPath(info.filename).name
            if not owned and len(notebooks) == 1 and (students_zip or canvas_name(info.filename) is None):
                owned, file_name = (who, stem), path.name
            elif not owned and students_zip:
                owned = (who, f"{stem}_{PurePosixPath(info.filename).stem}")
            nb_who, nb_stem = owned or (_named(info.filename), PurePosixPath(info.filename).stem)
            name = f"{label}:{info.filename}"
            if info.file_size > MAX_NOTEBOOK_BYTES:
                out.append(Submission.of(nb_stem, name, b"", nb_who, file_name, problem="notebook over 50 MB"))
                continue
            out.append(Submission.of(nb_stem, name, zf.read(info), nb_who, file_name))
        for info in inner_zips:  # an LMS bulk download of otter export zips; one level deep
            inner = PurePosixPath(info.filename)
            if depth or info.file_size > MAX_INNER_ZIP_BYTES:
                s_who, s_stem = owner or (Who(clean_name(inner.stem, 200)), inner.stem)
                out.append(Submission.of(s_stem, f"{label}:{info.filename}", b"", s_who, inner.name,
                                         problem="a zip inside a zip inside a zip, or over 200 MB: not opened"))
                continue
            out.extend(_from_zip(inner, zf.read(info), f"{label}:{info.filename}", depth + 1, whose(info)))
        if not out:
            out.append(Submission.of(stem, label, b"", who, path.name, problem="no notebook in this zip"))
        return out


def _from_file(path: Path) -> list[Submission]:
    if path.suffix == ".zip":
        return _from_zip(path)
    who = _named(path.name)
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        return [Submission.of(path.stem, str(path), b"", who, path.name, problem="notebook over 50 MB")]
    return [Submission.of(path.stem, str(path), path.read_bytes(), who, path.name)]


def collect(paths: list[str | Path]) -> list[Submission]:
    """Every submission under `paths`, with unique stems. Raises InputError for a bad path."""
    bad = [str(p) for p in paths if not Path(p).exists()]
    if bad:
        raise InputError("no such file or folder: " + ", ".join(bad))
    found: list[Submission] = []
    for p in map(Path, paths):
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in (".ipynb", ".zip")
                           and ".ipynb_checkpoints" not in f.parts)
            for f in files:
                found.extend(_from_file(f))
        else:
            found.extend(_from_file(p))
    if not found:
        raise InputError("no notebooks (.ipynb) or zips found in: " + ", ".join(map(str, paths)))
    taken: set[str] = set()
    for s in found:  # two students with the same file name both get a row
        base = re.sub(r"[^\w.-]+", "_", unicodedata.normalize("NFC", s.stem))[:MAX_STEM].strip("._") or "submission"
        stem, n = base, 1
        while stem in taken:
            n += 1
            stem = f"{base}-{n}"
        taken.add(stem)
        s.stem = stem
    return found
