"""Finding uploads, binding them to their sender's channel, opening them safely, hashing, and
verifying the manifest (rules 0xx).

Nothing here modifies the inbox. Every upload is worked on as a private copy: a folder's regular
files are copied (opened with ``O_NOFOLLOW``, checked with ``fstat``) and a zip is copied, then
extracted after its members have been checked (no absolute paths, no ``..``, no links, no
encryption, bounded count, size and ratio; every member read guarded). Links, FIFOs, devices and
sub-folders inside an upload, or an upload that is itself a link, are refused (rule 023) and never
followed nor landed.

**Channels.** Each State delivers into its own folder of the inbox, ``inbox/<SS>/`` (see
docs/ingestion.md for how an operator sets the permissions). An upload's channel is the folder it
sits in; an upload outside a channel (026), whose name or manifest names another State (025), or
whose channel folder or itself is writable by others (028) is refused.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath

from core import extract_spec as spec
from core import reference
from ingestion.catalogue import rule

log = logging.getLogger(__name__)

#: Upload limits (rule 017): total uncompressed bytes and number of files, of a zip or a folder, and
#: a zip's compression ratio (an extract compresses ~5-15x).
ZIP_MAX_BYTES = 20 * 1024**3
ZIP_MAX_RATIO = 200.0
ZIP_MAX_MEMBERS = 1000
#: Compression methods a zip member may use (what every zip tool writes).
ZIP_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
#: A manifest is a few hundred bytes; anything beyond this is refused unread.
MANIFEST_MAX_BYTES = 1024**2
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


@cache
def state_codes() -> frozenset[str]:
    """The State/UT codes of the reference master: the names of the inbox's channel folders."""
    return frozenset(reference.states()["state_code"].to_list())


@dataclass(frozen=True)
class UploadSource:
    """One upload: a folder or a zip named ``<SS>_<YYYYMMDD>_<NN>``, and the channel it came by.

    ``channel`` is the State whose channel folder (``inbox/<SS>/``) the upload arrived in, or the
    State an operator named for an upload given explicitly; ``None`` when it came by no channel.
    """

    path: Path
    channel: str | None = None

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


def _problem(code: str, file: str | None, stored: object, /, **fmt: object) -> Problem:
    """A problem of rule ``code``: its message filled from ``fmt``, ``stored`` as the value."""
    return Problem(code, file, rule(code).message.format(**fmt), None if stored is None else str(stored))


def _abs(p: Path) -> Path:
    """Absolute path without resolving the last component (a link must stay visible as a link)."""
    return Path(os.path.abspath(p))


def _is_upload_path(p: Path) -> bool:
    """A zip, a folder with a manifest, or anything named like an upload (a link, say)."""
    name = p.name[:-4] if p.name.lower().endswith(".zip") else p.name
    if os.path.islink(p) or spec.UPLOAD_NAME_RE.match(name):  # os.path's tests never raise
        return True
    return (os.path.isfile(p) and p.suffix.lower() == ".zip") or (
        os.path.isdir(p) and os.path.lexists(p / spec.MANIFEST_FILE)
    )


def _is_channel_dir(p: Path) -> bool:
    return p.name in state_codes() and os.path.isdir(p) and not _is_upload_path(p)


#: ``channel`` value by which an operator vouches that each upload given explicitly comes from the
#: State its name says (``cctns ingest --channel by-name PATH``): for collections an operator
#: assembled (the committed sample, a re-run from landing), never for the inbox itself.
BY_NAME = "by-name"


def _channel_for(p: Path, channel: str | None) -> str | None:
    if channel == BY_NAME:
        m = spec.UPLOAD_NAME_RE.match(p.name[:-4] if p.name.lower().endswith(".zip") else p.name)
        return m["state"] if m else None
    return channel


#: Called with each folder discovery could not read (rule 030); the run goes on without it.
OnProblem = Callable[["Problem"], None]


def _shown_path(p: Path, inbox: Path | None) -> str:
    if inbox is not None and p.is_relative_to(inbox):
        return str(Path("inbox") / p.relative_to(inbox))
    return str(p)


def _unreadable(p: Path, exc: OSError, inbox: Path | None, on_problem: OnProblem | None) -> None:
    """Report a folder or entry discovery cannot read (030): logged, passed on, never raised."""
    where = _shown_path(p, inbox)
    detail = f"{type(exc).__name__}: {exc.strerror or exc}"
    problem = _problem("030", None, where, value=where, detail=detail)
    log.error("rule 030: %s (the other channels go on)", problem.message)
    if on_problem is not None:
        on_problem(problem)


def _children(
    folder: Path, channel: str | None, inbox: Path | None = None, on_problem: OnProblem | None = None
) -> Iterator[UploadSource]:
    """The uploads lying in ``folder``; a folder or entry that cannot be read is reported (030) and
    left out, never raised: one channel the service cannot list never stops the others."""
    try:
        with os.scandir(folder) as it:
            names = sorted(e.name for e in it)
    except OSError as exc:
        _unreadable(folder, exc, inbox, on_problem)
        return
    for name in names:
        if name.startswith((".", "_")):
            continue  # temporary files of a writer, ground truth beside a synthetic inbox
        child = folder / name
        try:
            mode = os.lstat(child).st_mode
        except OSError as exc:
            if _is_upload_path(child):  # named as an upload: refused as itself (precheck, 024)
                yield UploadSource(child, _channel_for(child, channel))
            else:
                _unreadable(child, exc, inbox, on_problem)
            continue
        if stat.S_ISLNK(mode) or stat.S_ISDIR(mode) or child.suffix.lower() == ".zip":
            yield UploadSource(child, _channel_for(child, channel))


def discover(
    paths: Iterable[Path],
    channel: str | None = None,
    inbox: Path | None = None,
    on_problem: OnProblem | None = None,
) -> list[UploadSource]:
    """Uploads under ``paths``, in the order they must be applied: extract date, State, sequence,
    folder before zip.

    Each path is an inbox (its channel folders ``<SS>/`` are walked), a channel folder ``<SS>/``,
    an upload folder or an upload zip. An upload in a channel folder came by that channel. An
    upload lying directly in ``inbox`` (the configured inbox) came by no channel, whatever
    ``channel`` says. Any other upload given explicitly, or lying in a folder that is not a
    channel, takes ``channel`` (an operator's ``--channel SS``, or :data:`BY_NAME`), else the name
    of its parent folder when that is a State code, else none.

    Never raises for what it finds: a channel folder (or any folder or entry) it cannot list or
    stat is reported to ``on_problem`` and logged under rule 030 CHANNEL_UNREADABLE, and the other
    channels are discovered as usual.
    """
    root = _abs(inbox) if inbox is not None else None
    found: dict[Path, UploadSource] = {}
    for p in paths:
        p = _abs(p)
        if not os.path.lexists(p):
            continue
        if _is_upload_path(p):
            parent = p.parent.name
            if p.parent == root:
                ch = None
            elif parent in state_codes() and p.parent.parent == root:
                ch = parent
            else:
                ch = _channel_for(p, channel) or (parent if parent in state_codes() else None)
            found[p] = UploadSource(p, ch)
            continue
        if not os.path.isdir(p):
            continue
        if _is_channel_dir(p):
            for s in _children(p, p.name, root, on_problem):
                found[s.path] = s
            continue
        for s in _children(p, None if p == root else channel, root, on_problem):
            if os.path.islink(s.path) or not _is_channel_dir(s.path):
                found[s.path] = s
            else:
                for c in _children(s.path, s.path.name, root, on_problem):
                    found[c.path] = c
    return sorted(found.values(), key=UploadSource.sort_key)


# --- delivery into channels (staging) -----------------------------------------------------------


def _copy_or_link(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def stage(src: Path, inbox: Path, *, hardlink: bool = False) -> Path | None:
    """Deliver upload ``src`` (a folder or zip named ``<SS>_...``) into its State's channel
    ``inbox/<SS>/``, as the SCRB's account would: a copy (hard links with ``hardlink``, for
    read-only benchmark data). Returns where it went, or ``None`` if it was there already."""
    m = spec.UPLOAD_NAME_RE.match(src.name[:-4] if src.suffix.lower() == ".zip" else src.name)
    if not m:
        raise ValueError(f"{src.name} is not named <SS>_<YYYYMMDD>_<NN>")
    dest = inbox / m["state"] / src.name
    if os.path.lexists(dest):
        return None
    dest.parent.mkdir(parents=True, exist_ok=True)
    copy = _copy_or_link if hardlink else shutil.copy2
    if src.is_dir():
        shutil.copytree(src, dest, copy_function=copy)
    else:
        copy(str(src), str(dest))
    return dest


def into_channels(folder: Path) -> int:
    """Move the uploads lying directly in ``folder`` into its channel folders ``<SS>/`` (renames;
    what ``cctns generate`` does to its output). Returns how many were moved."""
    n = 0
    for p in sorted(folder.iterdir()):
        name = p.name[:-4] if p.suffix.lower() == ".zip" else p.name
        m = spec.UPLOAD_NAME_RE.match(name)
        if m and not p.name.startswith((".", "_")):
            (folder / m["state"]).mkdir(exist_ok=True)
            os.rename(p, folder / m["state"] / p.name)
            n += 1
    return n


# --- sender binding and what an upload is made of ----------------------------------------------


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def precheck(source: UploadSource) -> None:
    """Refuse, before reading a byte of it, an upload that is a link or not a file/folder (023),
    came by no channel (026), names another State than its channel (025), or whose channel folder
    or itself is writable by others (028)."""
    name = source.source_name
    try:
        st = os.lstat(source.path)
    except OSError as exc:
        detail = f"{type(exc).__name__}: {exc.strerror}"
        raise Rejected([_problem("024", None, detail, detail=detail)]) from exc
    if stat.S_ISLNK(st.st_mode) or not (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
        raise Rejected([_problem("023", None, name, value=name, detail=_kind(st.st_mode))])
    if source.channel is None:
        problems = [
            _problem("026", None, name, upload=name, detail=f"it lies in {source.path.parent.name or '/'}")
        ]
        if not source.name_ok:
            problems.append(_problem("021", None, source.upload_id, upload=source.upload_id))
        raise Rejected(problems)
    m = spec.UPLOAD_NAME_RE.match(source.upload_id)
    if m and m["state"] != source.channel:
        raise Rejected(
            [_problem("025", None, m["state"], field="name", value=m["state"], expected=source.channel)]
        )
    if source.path.parent.name == source.channel:
        pst = os.lstat(source.path.parent)
        if pst.st_mode & stat.S_IWOTH:  # sticky or not: anyone could create an upload in it
            raise Rejected(
                [
                    _problem(
                        "028",
                        None,
                        f"{pst.st_mode & 0o7777:o}",
                        value=f"inbox/{source.channel}",
                        detail=f"{pst.st_mode & 0o7777:o}",
                    )
                ]
            )
    if st.st_mode & stat.S_IWOTH:
        raise Rejected(
            [_problem("028", None, f"{st.st_mode & 0o7777:o}", value=name, detail=f"{st.st_mode & 0o7777:o}")]
        )


def _copy_regular(src: Path, dst: Path, label: str) -> None:
    """Copy ``src`` to ``dst`` if it is a regular file, never following a link (rule 023)."""
    try:
        fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):
            raise Rejected([_problem("023", label, label, value=label, detail="a symbolic link")]) from exc
        try:  # a socket (ENXIO), or another special file whose open fails: what it is, not a fault
            mode = os.lstat(src).st_mode
        except OSError:
            raise exc from None
        if not stat.S_ISREG(mode):
            raise Rejected([_problem("023", label, label, value=label, detail=_kind(mode))]) from exc
        raise
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise Rejected([_problem("023", label, label, value=label, detail=_kind(mode))])
    with os.fdopen(fd, "rb") as fh, dst.open("wb") as out:
        shutil.copyfileobj(fh, out, 1 << 22)


def raw_hash(source: UploadSource) -> str:
    """The hash under which an upload refused before it could be opened is recorded: over its
    regular files' bytes and the kind (and link target) of anything else; never follows a link."""
    entries: dict[str, str] = {}
    try:
        st = os.lstat(source.path)
        if stat.S_ISDIR(st.st_mode):
            for p in sorted(source.path.iterdir()):
                entries[p.name] = _entry_digest(p)
        else:
            entries[source.source_name] = _entry_digest(source.path)
    except OSError as exc:
        entries[source.source_name] = f"unreadable:{exc.errno}"
    return upload_hash(entries)


def _entry_digest(p: Path) -> str:
    try:
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            return "link:" + hashlib.sha256(os.readlink(p).encode("utf-8", "replace")).hexdigest()
        if not stat.S_ISREG(st.st_mode):
            return f"{_kind(st.st_mode)}:{st.st_mode:o}"
        h = hashlib.sha256()
        fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            while chunk := fh.read(1 << 22):
                h.update(chunk)
        return h.hexdigest()
    except OSError as exc:
        return f"unreadable:{exc.errno}:{getattr(exc, 'filename', '')}"


def arrival_hashes(source: UploadSource) -> list[str]:
    """Every content hash under which ingestion may record the arrival of ``source``: the hash of
    its files as opened, and the raw hash of an upload refused before it could be opened."""
    hashes = []
    try:
        precheck(source)
        with opened(source) as op:
            hashes.append(upload_hash(file_hashes(op.folder)))
    except (Rejected, OSError):
        pass
    hashes.append(raw_hash(source))
    return hashes


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
    if mode and not stat.S_ISREG(mode) and stat.S_IFMT(mode):
        raise Rejected([_problem("023", parts[0], name, value=name, detail=_kind(mode))])
    if info.flag_bits & 0x1:
        raise Rejected([_problem("018", parts[0], name, detail=f"member {name} is encrypted")])
    if info.compress_type not in ZIP_METHODS:
        raise Rejected(
            [
                _problem(
                    "018",
                    parts[0],
                    name,
                    detail=f"member {name} uses compression method {info.compress_type}, "
                    "not stored or deflate",
                )
            ]
        )
    return parts[0]


#: What reading a damaged zip raises (bad CRC, lying headers, truncated or corrupt streams).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    KeyError,
    IndexError,
    OverflowError,
)


def _corrupt(detail: str, member: str | None = None) -> Rejected:
    # the value is the member's name (shown to the State); the library's detail goes in the message
    return Rejected([_problem("018", member, member if member else detail, detail=detail)])


def _extract(zpath: Path, tmp: Path, upload_id: str) -> None:
    try:
        zf = zipfile.ZipFile(zpath)
    except _ZIP_ERRORS as exc:
        raise _corrupt(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    with zf:
        try:
            infos = zf.infolist()
        except _ZIP_ERRORS as exc:
            raise _corrupt(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
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
        targets = [(i, _check_member(i, upload_id)) for i in infos]
        seen: set[str] = set()
        written = 0
        for info, target in targets:
            if target is None:
                continue
            if target in seen:
                raise _corrupt(f"member {info.filename} appears twice", target)
            seen.add(target)
            member_bytes = 0
            try:
                with zf.open(info) as src, (tmp / target).open("wb") as dst:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        member_bytes += len(chunk)
                        if written > ZIP_MAX_BYTES or member_bytes > info.file_size:  # lying headers
                            raise Rejected(
                                [
                                    Problem(
                                        "017",
                                        target,
                                        rule("017").message.format(
                                            value=written,
                                            detail=f"member {info.filename} exceeds its declared size",
                                        ),
                                    )
                                ]
                            )
                        dst.write(chunk)
            except Rejected:
                raise
            except _ZIP_ERRORS as exc:
                raise _corrupt(
                    f"member {info.filename}: {type(exc).__name__}: {str(exc)[:200]}", target
                ) from exc


@dataclass(frozen=True)
class Opened:
    """An upload as a private folder, and the private copy of what arrived (to land)."""

    folder: Path
    landed_from: Path


@contextmanager
def opened(source: UploadSource) -> Iterator[Opened]:
    """The upload as a private folder: a checked copy of the folder's regular files, or the zip
    (itself copied first) safely extracted. Raises :class:`Rejected`, never a zip or zlib error."""
    tmp = Path(tempfile.mkdtemp(prefix="cctns-upload-"))
    try:
        folder = tmp / source.upload_id
        folder.mkdir()
        name = source.source_name
        st = os.lstat(source.path)
        if stat.S_ISLNK(st.st_mode) or not (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
            raise Rejected([_problem("023", None, name, value=name, detail=_kind(st.st_mode))])
        if source.is_zip:
            if not stat.S_ISREG(st.st_mode):
                raise _corrupt(f"{name} is {_kind(st.st_mode)}, not a zip file")
            copy = tmp / name
            _copy_regular(source.path, copy, name)
            _extract(copy, folder, source.upload_id)
            yield Opened(folder, copy)
            return
        if not stat.S_ISDIR(st.st_mode):
            raise Rejected(
                [_problem("023", None, name, value=name, detail="a file, not an upload folder or zip")]
            )
        for p in sorted(source.path.iterdir()):
            _copy_regular(p, folder / p.name, p.name)
        yield Opened(folder, folder)
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


def _type_name(v: object) -> str:
    if isinstance(v, bool):
        return "boolean"
    return {int: "integer", float: "number", str: "string", list: "array", dict: "object"}.get(
        type(v), "null" if v is None else type(v).__name__
    )


def _shown(v: object) -> str:
    text = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


class _Invalid(ValueError):
    """A manifest value of the wrong type or shape (rule 002, with what was wrong)."""


def _want(obj: dict[str, object], key: str, kind: type, where: str = "") -> object:
    v = obj[key]
    ok = isinstance(v, kind) and not (kind is int and isinstance(v, bool))
    if not ok:
        article = {int: "an integer", str: "a string", list: "an array", dict: "an object"}[kind]
        raise _Invalid(f"{where}{key} must be {article}, got {_type_name(v)} {_shown(v)}")
    return v


def _parse_manifest(mpath: Path) -> Manifest:
    """The manifest, every value of the type the interface says; raise :class:`Rejected`."""
    try:
        fd = os.open(mpath, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(MANIFEST_MAX_BYTES + 1)
        if len(data) > MANIFEST_MAX_BYTES:
            raise _Invalid(f"it is larger than {MANIFEST_MAX_BYTES} bytes")
        try:
            m = json.loads(data.decode("utf-8-sig"))
        except RecursionError as exc:
            raise _Invalid("it is nested too deeply") from exc
        if not isinstance(m, dict):
            raise _Invalid(f"it must be a JSON object, got {_type_name(m)}")
        for k in spec.MANIFEST_KEYS:
            if k not in m:
                raise _Invalid(f"key '{k}' missing")
        version = _want(m, "spec_version", int)
        if version != spec.SPEC_VERSION:
            raise Rejected([_problem("003", spec.MANIFEST_FILE, version, value=version)])
        fmt = _want(m, "format", str)
        if fmt not in spec.FORMATS:
            raise Rejected([_problem("005", spec.MANIFEST_FILE, fmt, value=fmt)])
        state = _want(m, "state_code", str)
        extract_date = _want(m, "extract_date", str)
        sequence = _want(m, "sequence", int)
        source_system = _want(m, "source_system", str)
        gen = _want(m, "generated_at", str)
        files = _want(m, "files", list)
        try:
            generated = dt.datetime.fromisoformat(str(gen))
        except ValueError as exc:
            raise _Invalid(f"generated_at {_shown(gen)} is not an ISO 8601 timestamp") from exc
        if generated.tzinfo is None:
            raise _Invalid("generated_at has no UTC offset")
        try:
            date = dt.date.fromisoformat(str(extract_date))
        except ValueError as exc:
            raise _Invalid(f"extract_date {_shown(extract_date)} is not a date YYYY-MM-DD") from exc
        names: set[str] = set()
        for i, f in enumerate(files):  # type: ignore[arg-type]
            where = f"files[{i}]."
            if not isinstance(f, dict):
                raise _Invalid(f"files[{i}] must be an object, got {_type_name(f)} {_shown(f)}")
            for k in ("name", "rows", "sha256"):
                if k not in f:
                    raise _Invalid(f"{where}{k} missing (files entries need name, rows and sha256)")
            fname = _want(f, "name", str, where)
            rows = _want(f, "rows", int, where)
            digest = _want(f, "sha256", str, where)
            if rows < 0:  # type: ignore[operator]
                raise _Invalid(f"{where}rows must not be negative, got {rows}")
            if not _HEX64.match(str(digest)):
                raise _Invalid(f"{where}sha256 must be 64 hexadecimal digits, got {_shown(digest)}")
            if fname in names:
                raise _Invalid(f"{where}name {_shown(fname)} is listed twice")
            names.add(str(fname))
        return Manifest(str(state), date, int(sequence), str(source_system), str(fmt), generated, list(files))  # type: ignore[arg-type]
    except Rejected:
        raise
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError, OSError) as exc:
        detail = str(exc) if isinstance(exc, _Invalid) else f"{type(exc).__name__}: {str(exc)[:200]}"
        raise Rejected([_problem("002", spec.MANIFEST_FILE, detail, detail=detail)]) from exc


def verify(
    folder: Path, source: UploadSource, hashes: dict[str, str], registered_format: dict[str, str]
) -> Manifest:
    """Check the manifest against the upload's name, channel and files; raise :class:`Rejected`."""
    uid = source.upload_id
    if not source.name_ok:
        raise Rejected([Problem("021", None, rule("021").message.format(upload=uid), uid)])
    if not hashes:
        raise Rejected([Problem("019", None, rule("019").message)])
    mpath = folder / spec.MANIFEST_FILE
    if not mpath.is_file():
        raise Rejected([Problem("001", spec.MANIFEST_FILE, rule("001").message)])
    man = _parse_manifest(mpath)

    name = spec.UPLOAD_NAME_RE.match(uid)
    assert name is not None
    problems: list[Problem] = []
    if source.channel is not None and man.state_code != source.channel:
        problems.append(
            _problem(
                "025",
                spec.MANIFEST_FILE,
                man.state_code,
                field="manifest state_code",
                value=man.state_code,
                expected=source.channel,
            )
        )
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
    for fname in sorted(set(listed) - set(spec.FORMAT_FILES[man.fmt])):
        problems.append(_problem("027", fname, fname, file=fname, value=man.fmt))
    present = set(hashes) - {spec.MANIFEST_FILE}
    for fname in sorted(set(listed) - present):
        problems.append(Problem("007", fname, rule("007").message.format(file=fname), fname))
    for fname in sorted(present - set(listed)):
        problems.append(Problem("008", fname, rule("008").message.format(file=fname), fname))
    for fname in sorted(set(listed) & present & set(spec.FORMAT_FILES[man.fmt])):
        entry = listed[fname]
        hash_ok = hashes[fname] == str(entry["sha256"]).lower()
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
