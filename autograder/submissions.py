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

# Canvas: name_userid_submissionid_file.ipynb, with _LATE_ after the name for late ones
CANVAS = re.compile(r"^(?P<name>[A-Za-z0-9-]+?)(?:_LATE)?_(?P<uid>\d{3,})_(?P<sid>\d{3,})_(?P<file>.+)$")


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


def _gradescope_submitters(zf: zipfile.ZipFile, root: str) -> dict[str, tuple[str, str]]:
    """submission folder -> (names, ids) from a Gradescope export's submission_metadata.yml."""
    import yaml

    try:
        meta = yaml.safe_load(zf.read(root + "submission_metadata.yml")) or {}
    except Exception:
        return {}
    out = {}
    for folder, info in meta.items():
        info = {str(k).lstrip(":"): v for k, v in (info or {}).items()}
        people = [{str(k).lstrip(":"): v for k, v in p.items()} for p in info.get("submitters") or []]
        names = ", ".join(str(p.get("name", "")) for p in people)
        ids = ", ".join(str(p.get("sid") or p.get("email") or "") for p in people)
        out[str(folder)] = (names, ids)
    return out


def _from_zip(path: Path, data: bytes | None = None, label: str | None = None, depth: int = 0) -> list[Submission]:
    import io

    label = label or str(path)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
    except (zipfile.BadZipFile, OSError) as e:
        return [Submission(path.stem, label, b"", path.stem, problem=f"not a readable zip: {e}")]
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
        if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
            return [Submission(path.stem, label, b"", path.stem, problem="zip expands to more than 2 GiB")]
        metas = [i.filename for i in infos if PurePosixPath(i.filename).name == "submission_metadata.yml"]
        gradescope = _gradescope_submitters(zf, metas[0][: -len("submission_metadata.yml")]) if metas else {}
        notebooks = [i for i in infos if i.filename.endswith(".ipynb") and ".ipynb_checkpoints" not in i.filename]
        inner_zips = [i for i in infos if i.filename.endswith(".zip")]
        out: list[Submission] = []
        for info in notebooks:
            name = f"{label}:{info.filename}"
            if info.file_size > MAX_NOTEBOOK_BYTES:
                out.append(Submission(PurePosixPath(info.filename).stem, name, b"", "", problem="notebook over 50 MB"))
                continue
            parts = PurePosixPath(info.filename).parts
            folder = next((p for p in parts if p in gradescope), None)
            if folder:
                student, sid = gradescope[folder]
                stem = folder
            elif len(notebooks) == 1 and not gradescope:  # an otter export: one notebook, named by the zip
                student, sid = _student(path.name)
                stem = path.stem
            else:
                student, sid = _student(info.filename)
                stem = PurePosixPath(info.filename).stem
            out.append(Submission(stem, name, zf.read(info), student, sid))
        for info in inner_zips:  # an LMS bulk download of otter export zips; one level deep
            inner = PurePosixPath(info.filename)
            if depth or info.file_size > MAX_INNER_ZIP_BYTES:
                out.append(Submission(inner.stem, f"{label}:{info.filename}", b"", inner.stem,
                                      problem="a zip inside a zip inside a zip, or over 200 MB: not opened"))
                continue
            out.extend(_from_zip(inner, zf.read(info), f"{label}:{info.filename}", depth + 1))
        if not out:
            out.append(Submission(path.stem, label, b"", path.stem, problem="no notebook in this zip"))
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
