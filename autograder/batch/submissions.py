"""Find the submissions in what a TA points at: notebooks, folders, and zips (otter exports,
LMS bulk downloads, Gradescope exports), and say who each belongs to.

Nothing here runs student code. A bad path is reported before any work starts.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_NOTEBOOK_BYTES = 50 * 2**20  # a notebook with outputs is a few MB; more is not a homework
MAX_ZIP_BYTES = 2 * 2**30  # total uncompressed size of one zip we are willing to read
MAX_INNER_ZIP_BYTES = 200 * 2**20  # an otter export inside an LMS download is a few MB
MAX_METADATA_BYTES = 20 * 2**20  # Gradescope's submission_metadata.yml: a few KB per submission
METADATA = "submission_metadata.yml"

# Canvas: name_userid_submissionid_file.ipynb, with _LATE_ after the name for late ones
CANVAS = re.compile(r"^(?P<name>[A-Za-z0-9-]+?)(?:_LATE)?_(?P<uid>\d{3,})_(?P<sid>\d{3,})_(?P<file>.+)$")
# otter's export zip: <notebook>_<timestamp>.zip, as grader.export() names it
OTTER_EXPORT = re.compile(r"_\d{4}_\d{2}_\d{2}T\d{2}_\d{2}_\d{2}_\d{6}")


class InputError(Exception):
    """A path the TA gave cannot be used: said before any grading starts."""


@dataclass
class Submission:
    stem: str  # unique in this batch: names results/<stem>.json
    source: str  # where it came from, for people: "class.zip:kim_123_456_hw04.ipynb"
    data: bytes
    student: str
    student_id: str = ""
    problem: str = ""  # set when it cannot be a notebook at all: graded as `invalid`
    sha256: str = field(init=False)

    def __post_init__(self):
        self.sha256 = hashlib.sha256(self.data).hexdigest()


def _student(filename: str) -> tuple[str, str]:
    stem = PurePosixPath(filename).stem
    m = CANVAS.match(PurePosixPath(filename).name)
    if m:
        return m["name"], m["uid"]
    return stem, ""


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


def _submitters(entry: object) -> tuple[str, str]:
    """(names, ids) of one Gradescope submission (several for a group)."""
    people = _fields(entry).get("submitters")
    people = [_fields(p) for p in people[:20]] if isinstance(people, list) else []
    names = ", ".join(filter(None, (_text(p.get("name")) for p in people)))
    ids = ", ".join(filter(None, (_text(p.get("sid")) or _text(p.get("email")) for p in people)))
    return names, ids


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
              owner: tuple[str, str, str] | None = None) -> list[Submission]:
    """The submissions in a zip. `owner` (student, id, stem) is the Gradescope submission a nested
    zip was found in: everything in it is that submitter's, whatever the zip itself claims."""
    import io

    label = label or str(path)
    student, sid, stem = owner or (*_student(path.name), path.stem)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
    except (zipfile.BadZipFile, OSError) as e:
        return [Submission(stem, label, b"", student, sid, problem=f"not a readable zip: {e}")]
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
        if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
            return [Submission(stem, label, b"", student, sid, problem="zip expands to more than 2 GiB")]
        # Gradescope's metadata is believed only at the top of an export the TA gave, never in a
        # student's zip (nested, or named as a student's): a student could claim to be anyone.
        root = _export_root(infos) if depth == 0 and not owner and not _students_zip(path.name) else None
        meta = _gradescope_metadata(zf, root) if root is not None else {}
        notebooks = [i for i in infos if i.filename.endswith(".ipynb") and ".ipynb_checkpoints" not in i.filename]
        inner_zips = [i for i in infos if i.filename.endswith(".zip")]

        def whose(info: zipfile.ZipInfo) -> tuple[str, str, str] | None:
            folder = _submission_folder(info.filename, root, meta)
            if owner or not folder:
                return owner
            names, ids = _submitters(meta[folder])
            return names or folder, ids, folder

        out: list[Submission] = []
        for info in notebooks:
            who = whose(info)
            if not who and len(notebooks) == 1:  # an otter export: one notebook, named by the zip
                who = (student, sid, stem)
            nb_student, nb_sid, nb_stem = who or (*_student(info.filename), PurePosixPath(info.filename).stem)
            name = f"{label}:{info.filename}"
            if info.file_size > MAX_NOTEBOOK_BYTES:
                out.append(Submission(nb_stem, name, b"", nb_student, nb_sid, problem="notebook over 50 MB"))
                continue
            out.append(Submission(nb_stem, name, zf.read(info), nb_student, nb_sid))
        for info in inner_zips:  # an LMS bulk download of otter export zips; one level deep
            inner = PurePosixPath(info.filename)
            if depth or info.file_size > MAX_INNER_ZIP_BYTES:
                s_student, s_sid, s_stem = owner or (inner.stem, "", inner.stem)
                out.append(Submission(s_stem, f"{label}:{info.filename}", b"", s_student, s_sid,
                                      problem="a zip inside a zip inside a zip, or over 200 MB: not opened"))
                continue
            out.extend(_from_zip(inner, zf.read(info), f"{label}:{info.filename}", depth + 1, whose(info)))
        if not out:
            out.append(Submission(stem, label, b"", student, sid, problem="no notebook in this zip"))
        return out


def _from_file(path: Path) -> list[Submission]:
    if path.suffix == ".zip":
        return _from_zip(path)
    student, sid = _student(path.name)
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        return [Submission(path.stem, str(path), b"", student, sid, problem="notebook over 50 MB")]
    return [Submission(path.stem, str(path), path.read_bytes(), student, sid)]


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
        base = re.sub(r"[^\w.-]+", "_", s.stem).strip("._") or "submission"
        stem, n = base, 1
        while stem in taken:
            n += 1
            stem = f"{base}-{n}"
        taken.add(stem)
        s.stem = stem
    return found
