"""Finding uploads, opening zips safely, hashing, and verifying the manifest (rules 0xx).

Nothing here modifies the inbox. A zip is extracted into a private temporary folder after its
members have been checked (no absolute paths, no ``..``, no links, bounded size and ratio).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ingestion.catalogue import rule
from warehouse import extract_spec as spec

#: Zip limits: total uncompressed bytes and compression ratio (an extract compresses ~5-15x).
ZIP_MAX_BYTES = 20 * 1024**3
ZIP_MAX_RATIO = 200.0
ZIP_MAX_MEMBERS = 1000


@dataclass(frozen=True)
class UploadSource:
    """One upload in the inbox: a folder or a zip named ``<SS>_<YYYYMMDD>_<NN>``."""

    path: Path

    @property
    def is_zip(self) -> bool:
        return self.path.suffix.lower() == ".zip"

    @property
    def upload_id(self) -> str:
        return self.path.name[:-4] if self.is_zip else self.path.name

    @property
    def source_name(self) -> str:
        return self.path.name

    @property
    def name_ok(self) -> bool:
        return spec.UPLOAD_NAME_RE.match(self.upload_id) is not None

    def sort_key(self) -> tuple[str, str, str, int]:
        m = spec.UPLOAD_NAME_RE.match(self.upload_id)
        if not m:
            return ("99999999", "99", self.upload_id, int(self.is_zip))
        return (m["date"], m["state"], m["seq"], int(self.is_zip))


@dataclass
class Problem:
    """An upload-level rule hit (severity reject or info)."""

    code: str
    file: str | None
    message: str
    value: str | None = None

    @property
    def severity(self) -> str:
        return rule(self.code).severity


class Rejected(Exception):
    """The upload is refused as a whole (an outcome, not a bug)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def discover(paths: Iterable[Path]) -> list[UploadSource]:
    """Uploads under ``paths`` (each an inbox folder, an upload folder or an upload zip), in
    the order they must be applied: extract date, State, sequence, folder before zip."""
    found: dict[Path, UploadSource] = {}
    for p in paths:
        p = p.resolve()
        if (p.is_file() and p.suffix.lower() == ".zip") or (p.is_dir() and (p / spec.MANIFEST_FILE).exists()):
            found[p] = UploadSource(p)
            continue
        if p.is_dir():
            for child in sorted(p.iterdir()):
                if child.name.startswith((".", "_")):
                    continue  # temporary files of a writer, ground truth beside a synthetic inbox
                if child.is_dir() or child.suffix.lower() == ".zip":
                    found[child] = UploadSource(child)
    return sorted(found.values(), key=UploadSource.sort_key)


def _check_member(info: zipfile.ZipInfo, upload_id: str) -> str | None:
    """The member's path inside the upload folder, or None to skip a directory entry."""
    name = info.filename
    mode = (info.external_attr >> 16) & 0xFFFF
    if stat.S_ISLNK(mode):
        raise Rejected([Problem("016", None, rule("016").message.format(value=name), name)])
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or (p.parts and ":" in p.parts[0]):
        raise Rejected([Problem("016", None, rule("016").message.format(value=name), name)])
    if name.endswith("/"):
        return None
    parts = p.parts
    if parts and parts[0] == upload_id:
        parts = parts[1:]
    if len(parts) != 1:
        raise Rejected([Problem("016", None, rule("016").message.format(value=name), name)])
    return parts[0]


@contextmanager
def opened(source: UploadSource) -> Iterator[Path]:
    """The upload as a folder: the folder itself, or a safely extracted copy of the zip."""
    if not source.is_zip:
        yield source.path
        return
    tmp = Path(tempfile.mkdtemp(prefix="cctns-zip-"))
    try:
        try:
            zf = zipfile.ZipFile(source.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise Rejected([Problem("018", None, rule("018").message.format(detail=exc), str(exc))]) from exc
        with zf:
            infos = zf.infolist()
            if len(infos) > ZIP_MAX_MEMBERS:
                raise Rejected(
                    [Problem("017", None, rule("017").message.format(value=len(infos), detail="members"))]
                )
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            ratio = total / packed
            if total > ZIP_MAX_BYTES or (ratio > ZIP_MAX_RATIO and total > 10 * 1024**2):
                raise Rejected(
                    [
                        Problem(
                            "017",
                            None,
                            rule("017").message.format(value=total, detail=f"{ratio:.0f}:1"),
                            str(total),
                        )
                    ]
                )
            targets = [(i, _check_member(i, source.upload_id)) for i in infos]
            written = 0
            for info, target in targets:
                if target is None:
                    continue
                with zf.open(info) as src, (tmp / target).open("wb") as dst:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > ZIP_MAX_BYTES or written > info.file_size + total:  # lying headers
                            raise Rejected(
                                [
                                    Problem(
                                        "017",
                                        None,
                                        rule("017").message.format(
                                            value=written, detail="declared sizes exceeded"
                                        ),
                                    )
                                ]
                            )
                        dst.write(chunk)
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def file_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every regular file of the upload folder."""
    out = {}
    for p in sorted(folder.iterdir()):
        if p.is_file():
            h = hashlib.sha256()
            with p.open("rb") as fh:
                while chunk := fh.read(1 << 22):
                    h.update(chunk)
            out[p.name] = h.hexdigest()
    return out


def upload_hash(hashes: dict[str, str]) -> str:
    """Content hash of an upload: the same files give the same hash, folder or zip."""
    return hashlib.sha256("\n".join(f"{n}\t{h}" for n, h in sorted(hashes.items())).encode()).hexdigest()


@dataclass
class Manifest:
    state_code: str
    extract_date: dt.date
    sequence: int
    source_system: str
    fmt: str
    generated_at: dt.datetime
    files: list[dict[str, object]] = field(default_factory=list)


def _ends_mid_record(path: Path) -> bool:
    data = path.read_bytes()
    if not data:
        return False
    if path.suffix == ".xml":
        return not data.rstrip().endswith(b"</FirExport>")
    if not data.endswith(b"\n"):
        return True
    if path.suffix == ".csv":
        return data.count(b'"') % 2 == 1  # an open quoted field
    return False


def verify(
    folder: Path, source: UploadSource, hashes: dict[str, str], registered_format: dict[str, str]
) -> Manifest:
    """Check the manifest against the upload's name and files; raise :class:`Rejected`."""
    uid = source.upload_id
    if not source.name_ok:
        raise Rejected([Problem("021", None, rule("021").message.format(upload=uid), uid)])
    if not hashes:
        raise Rejected([Problem("019", None, rule("019").message)])
    mpath = folder / spec.MANIFEST_FILE
    if not mpath.is_file():
        raise Rejected([Problem("001", spec.MANIFEST_FILE, rule("001").message)])
    try:
        m = json.loads(mpath.read_bytes().decode("utf-8-sig"))
        if not isinstance(m, dict):
            raise ValueError("not a JSON object")
        for k in spec.MANIFEST_KEYS:
            if k not in m:
                raise ValueError(f"key '{k}' missing")
        if m["spec_version"] != spec.SPEC_VERSION:
            raise Rejected(
                [
                    Problem(
                        "003",
                        spec.MANIFEST_FILE,
                        rule("003").message.format(value=m["spec_version"]),
                        str(m["spec_version"]),
                    )
                ]
            )
        if m["format"] not in spec.FORMATS:
            raise Rejected(
                [
                    Problem(
                        "005",
                        spec.MANIFEST_FILE,
                        rule("005").message.format(value=m["format"]),
                        str(m["format"]),
                    )
                ]
            )
        generated = dt.datetime.fromisoformat(str(m["generated_at"]))
        if generated.tzinfo is None:
            raise ValueError("generated_at has no UTC offset")
        man = Manifest(str(m["state_code"]), dt.date.fromisoformat(str(m["extract_date"])), int(m["sequence"]),
                       str(m["source_system"]), str(m["format"]), generated, list(m["files"]))  # fmt: skip
        for f in man.files:
            if not isinstance(f, dict) or not {"name", "rows", "sha256"} <= set(f):
                raise ValueError("files entries need name, rows and sha256")
    except Rejected:
        raise
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise Rejected(
            [Problem("002", spec.MANIFEST_FILE, rule("002").message.format(detail=exc), str(exc))]
        ) from exc

    name = spec.UPLOAD_NAME_RE.match(uid)
    assert name is not None
    problems: list[Problem] = []
    for fld, got, want in (
        ("state_code", man.state_code, name["state"]),
        ("extract_date", f"{man.extract_date:%Y%m%d}", name["date"]),
        ("sequence", f"{man.sequence:02d}", name["seq"]),
    ):
        if got != want:
            problems.append(
                Problem(
                    "004",
                    spec.MANIFEST_FILE,
                    rule("004").message.format(field=fld, value=got, upload=uid),
                    got,
                )
            )
    expected_fmt = registered_format.get(man.state_code)
    if expected_fmt and expected_fmt != man.fmt:
        problems.append(
            Problem(
                "006",
                spec.MANIFEST_FILE,
                rule("006").message.format(state=man.state_code, expected=expected_fmt, value=man.fmt),
                man.fmt,
            )
        )
    listed = {str(f["name"]): f for f in man.files}
    for fname in spec.FORMAT_FILES[man.fmt]:
        if fname not in listed:
            problems.append(Problem("009", fname, rule("009").message.format(file=fname), fname))
    present = set(hashes) - {spec.MANIFEST_FILE}
    for fname in sorted(set(listed) - present):
        problems.append(Problem("007", fname, rule("007").message.format(file=fname), fname))
    for fname in sorted(present - set(listed)):
        problems.append(Problem("008", fname, rule("008").message.format(file=fname), fname))
    for fname in sorted(set(listed) & present):
        entry = listed[fname]
        hash_ok = hashes[fname] == entry["sha256"]
        rows = spec.count_records(folder / fname) if fname.endswith(spec.COUNTED_SUFFIXES) else entry["rows"]
        if hash_ok and rows == entry["rows"]:
            continue
        if not hash_ok and rows != entry["rows"] and _ends_mid_record(folder / fname):
            size = (folder / fname).stat().st_size
            problems.append(
                Problem("012", fname, rule("012").message.format(file=fname, value=size), str(size))
            )
        elif rows != entry["rows"]:
            problems.append(
                Problem(
                    "011",
                    fname,
                    rule("011").message.format(file=fname, value=rows, expected=entry["rows"]),
                    str(rows),
                )
            )
        else:
            problems.append(Problem("010", fname, rule("010").message.format(file=fname), hashes[fname]))
    if problems:
        raise Rejected(problems)
    return man
