"""Find the submissions in what a TA points at: notebooks, folders, and zips (otter exports,
LMS bulk downloads, Gradescope exports), and say who each belongs to.

Nothing here runs student code. A bad path is reported before any work starts.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from autograder.batch.escape import file_stem, unique

MAX_NOTEBOOK_BYTES = 50 * 2**20  # a notebook with outputs is a few MB; more is not a homework
MAX_ZIP_BYTES = 2 * 2**30  # total uncompressed size of one zip we are willing to read
MAX_INNER_ZIP_BYTES = 200 * 2**20  # an otter export inside an LMS download is a few MB
MAX_METADATA_BYTES = 20 * 2**20  # Gradescope's submission_metadata.yml: a few KB per submission
METADATA = "submission_metadata.yml"
MAX_NAME = 100  # characters of a student's name we keep (names are untrusted: bounded, printable)

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


def readable(name: str | bytes) -> str:
    """A file name as text that can be written anywhere: a name the file system gave as bytes that
    are not UTF-8 (Python keeps them as surrogates) or a zip entry's raw bytes is decoded as UTF-8,
    else as CP949 (Korean Windows), else with each undecodable byte shown as \\xNN. The same bytes
    always give the same text, so the name stays the file's identity."""
    raw = name if isinstance(name, bytes) else os.fsencode(name)
    for encoding in ("utf-8", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="backslashreplace")


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A zip entry's name: UTF-8 when the zip says so (flag 0x800); otherwise Python read the bytes
    as CP437, which Korean Windows (CP949) and many Unix tools (UTF-8 without the flag) do not write."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return readable(info.filename.encode("cp437"))
    except UnicodeEncodeError:
        return info.filename


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
    doubt: str = ""  # why who it is cannot be believed: the row says so, and canvas.csv leaves it out


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
    note: str = ""  # said in its row beside the grade (e.g. the other notebooks of its upload, not graded)
    doubt: str = ""  # Who.doubt
    answers: dict[str, str] = field(default_factory=dict)  # hand-graded questions' written answers
    sha256: str = field(init=False)

    def __post_init__(self):
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self.file_name = clean_name(self.file_name or PurePosixPath(self.source.replace("\\", "/")).name, 200)

    @classmethod
    def of(cls, stem: str, source: str, data: bytes, who: Who, file_name: str, problem: str = "") -> "Submission":
        return cls(stem, source, data, who.student, who.student_id, problem, [dict(m) for m in who.members],
                   who.group, dict(who.canvas), file_name, doubt=who.doubt)


def _named(filename: str, trusted: bool = False) -> Who:
    """Who a file's own name says it is: a Canvas download's student when the name came from a
    Canvas download (`trusted`), else nobody but the file."""
    canvas = canvas_name(filename)
    if canvas is not None and not trusted:
        doubt = (f"its file is named as a Canvas download names one (user id {canvas['user_id'] or canvas['anonymous_id']}) "
                 "but was not found in a Canvas download: no Canvas id taken from it")
        return Who(clean_name(PurePosixPath(filename).stem, 200), doubt=doubt)
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


def pick(candidates: list[tuple[str, tuple]]) -> int:
    """Which of one student's notebooks to grade: (name, zip date_time) each. Those named after
    the assignment (hw04…) first, then the newest, then the first by name."""
    from autograder.spec.constants import ASSIGNMENT

    def rank(i: int) -> tuple:
        name, when = candidates[i]
        return (ASSIGNMENT.lower() not in PurePosixPath(name).name.lower(), tuple(-x for x in when), name)

    return min(range(len(candidates)), key=rank)


def _one_per_student(found: list[tuple[Any, zipfile.ZipInfo, str, Submission]]) -> list[Submission]:
    """One row per upload: where one student's upload (a Gradescope submission folder, a student's
    own zip) holds several notebooks, grade the one `pick` chooses and name the others in its row."""
    groups: dict[Any, list] = {}
    for item in found:
        groups.setdefault(item[0] if item[0] is not None else id(item), []).append(item)
    out = []
    for items in groups.values():
        chosen = items[pick([(name, info.date_time) for _, info, name, _ in items])] if len(items) > 1 else items[0]
        sub = chosen[3]
        others = [clean_name(PurePosixPath(name).name, 60) for _, _, name, other in items if other is not sub]
        if others:
            shown = ", ".join(others[:5]) + (f" (+{len(others) - 5} more)" if len(others) > 5 else "")
            sub.note = (f"{len(items)} notebooks in one upload: graded {sub.file_name} (named after the assignment, "
                        f"else the newest); not graded: {shown}")
        out.append(sub)
    return out


def _from_zip(path: Path, data: bytes | None = None, label: str | None = None, depth: int = 0,
              owner: tuple[Who, str] | None = None, named: bool = False) -> list[Submission]:
    """The submissions in a zip. `owner` (who, stem) is the Gradescope submission a nested zip was
    found in: everything in it is that submitter's, whatever the zip itself claims. `named`: the TA
    named this zip itself (not found in a folder): only then can it be an LMS export."""
    import io

    label = label or readable(str(path))
    zip_name = readable(path.name)
    who, stem = owner or (_named(zip_name, trusted=named and _canvas_download([zip_name])), readable(path.stem))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
    except (zipfile.BadZipFile, OSError) as e:
        return [Submission.of(stem, label, b"", who, zip_name, problem=f"not a readable zip: {e}")]
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
        if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
            return [Submission.of(stem, label, b"", who, zip_name, problem="zip expands to more than 2 GiB")]
        names = {id(i): _zip_name(i) for i in infos}
        # Gradescope's metadata is believed only at the top of an export the TA named, laid out as
        # Gradescope lays it out, never in a student's zip (nested, or named as a student's).
        root = (_export_root(infos) if depth == 0 and named and not owner and not _students_zip(zip_name) else None)
        meta = _gradescope_metadata(zf, root) if root is not None else {}
        if root is not None and not _export_layout(infos, root, meta):
            root, meta = None, {}
        notebooks = [i for i in infos if names[id(i)].endswith(".ipynb") and ".ipynb_checkpoints" not in names[id(i)]]
        inner_zips = [i for i in infos if names[id(i)].endswith(".zip")]
        # Canvas ids come only from a Canvas download the TA named (flat, its files named as Canvas
        # names them). Anywhere else a Canvas-like name is a student's own file name.
        canvas = depth == 0 and not owner and named and _canvas_download([names[id(i)] for i in infos])

        def whose(info: zipfile.ZipInfo) -> tuple[Who, str] | None:
            folder = _submission_folder(names[id(info)], root, meta)
            if owner or not folder:
                return owner
            submitters = _submitters(meta[folder])
            if len(submitters.members) > 1:
                submitters.group = folder
            submitters.student = submitters.student or folder
            return submitters, folder

        # A student's own zip (named as one, or inside a download): every notebook in it is that
        # student's, whatever its own name claims, and one of them is graded.
        students_zip = depth > 0 or _students_zip(zip_name) or not canvas and root is None and not named
        found = []
        for info in notebooks:
            entry = names[id(info)]
            owned = whose(info)
            file_name = PurePosixPath(entry).name
            group = owned[1] if owned else None
            if not owned and (students_zip or len(notebooks) == 1 and not canvas):
                owned, group = (who, stem), "zip"
                file_name = zip_name if len(notebooks) == 1 else file_name
            nb_who, nb_stem = owned or (_named(entry, trusted=canvas), PurePosixPath(entry).stem)
            name = f"{label}:{entry}"
            if info.file_size > MAX_NOTEBOOK_BYTES:
                sub = Submission.of(nb_stem, name, b"", nb_who, file_name, problem="notebook over 50 MB")
            else:
                sub = Submission.of(nb_stem, name, zf.read(info), nb_who, file_name)
            found.append((group, info, entry, sub))
        out = _one_per_student(found)
        for info in inner_zips:  # an LMS bulk download of otter export zips; one level deep
            inner = PurePosixPath(names[id(info)])
            if depth or info.file_size > MAX_INNER_ZIP_BYTES:
                s_who, s_stem = owner or (Who(clean_name(inner.stem, 200)), inner.stem)
                out.append(Submission.of(s_stem, f"{label}:{inner}", b"", s_who, inner.name,
                                         problem="a zip inside a zip inside a zip, or over 200 MB: not opened"))
                continue
            inner_owner = whose(info) or (_named(inner.name, trusted=canvas), inner.stem)
            out.extend(_from_zip(inner, zf.read(info), f"{label}:{inner}", depth + 1, inner_owner))
        if not out:
            out.append(Submission.of(stem, label, b"", who, zip_name, problem="no notebook in this zip"))
        return out


def _canvas_download(names: list[str]) -> bool:
    """Whether these file names are a Canvas bulk download's: none in a folder (Canvas's zip is
    flat), and at least half of them named as Canvas names them (a file added by hand gets no id)."""
    named = sum(canvas_name(n) is not None for n in names)
    return bool(names) and all("/" not in n for n in names) and 2 * named >= len(names) > 0


def _export_layout(infos: list[zipfile.ZipInfo], root: str, meta: dict) -> bool:
    """Whether a zip is laid out as Gradescope exports one: beside submission_metadata.yml only
    submission_<id> folders, each of them in the metadata, and metadata for nothing else."""
    if not meta or not all(re.fullmatch(r"submission_\d{1,20}", key) for key in meta):
        return False
    for info in infos:
        rest = _zip_name(info)[len(root):]
        if rest == METADATA:
            continue
        folder = rest.split("/", 1)[0]
        if "/" not in rest or folder not in meta:
            return False
    return True


def _from_file(path: Path, named: bool = False) -> list[Submission]:
    if path.suffix == ".zip":
        return _from_zip(path, named=named)
    who = _named(readable(path.name), trusted=named and _canvas_download([readable(path.name)]))
    source, file_name, stem = readable(str(path)), readable(path.name), readable(path.stem)
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        return [Submission.of(stem, source, b"", who, file_name, problem="notebook over 50 MB")]
    return [Submission.of(stem, source, path.read_bytes(), who, file_name)]


def unique_stems(found: list[Submission], taken: dict[str, tuple[str, str]] | None = None) -> None:
    """Give each submission a stem (its results/<stem>.json) that no other submission has, in this
    batch or in the output folder (`taken`: stem -> (file, student) of the results already there).
    A submission of the same file and student as an earlier result gets that result's stem back, so
    a re-run replaces it; any other keeps clear of it. Stems are bounded in bytes, not characters."""
    taken = dict(taken or {})
    mine = {who: stem for stem, who in taken.items()}
    for s in found:
        again = mine.get((s.source, s.student))
        if again is not None:
            s.stem = again
            mine.pop((s.source, s.student))
            continue
        stem = unique(file_stem(s.stem), taken)
        taken[stem] = (s.source, s.student)
        s.stem = stem


def collect(paths: list[str | Path]) -> list[Submission]:
    """Every submission under `paths`, with unique stems. Raises InputError for a bad path.
    A path the TA names is trusted as an LMS download if it is laid out as one; what is found in a
    folder is a student's upload, whatever its name (a Canvas download's files in a folder the TA
    named count as Canvas's only when every file there is named as Canvas names them)."""
    bad = [str(p) for p in paths if not Path(p).exists()]
    if bad:
        raise InputError("no such file or folder: " + ", ".join(bad))
    found: list[Submission] = []
    for p in map(Path, paths):
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in (".ipynb", ".zip")
                           and ".ipynb_checkpoints" not in f.parts)
            canvas = all(f.parent == p for f in files) and _canvas_download([readable(f.name) for f in files])
            for f in files:
                found.extend(_from_file(f, named=canvas))
        else:
            found.extend(_from_file(p, named=True))
    if not found:
        raise InputError("no notebooks (.ipynb) or zips found in: " + ", ".join(map(str, paths)))
    unique_stems(found)
    return found
