"""Reading reports and writing outputs safely: decoding, binary detection, output names that stay inside the
output folder, atomic writes.

Kept apart from the CLI so that every command (convert, upload, ...) reads and writes files the same way, and so
that the rules are tested once (tests/test_robustness*.py, docs/SECURITY.md).
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError

__all__ = [
    "MAX_REPORT_BYTES",
    "decode_report",
    "read_report",
    "read_stream",
    "safe_output_name",
    "output_path",
    "atomic_write",
    "unique_names",
    "safe_xml_parser",
]

# A case report is a few kB; 5 MB converts in about 40 s and 1.7 GB of memory (benchmarks/fuzz_many.py --long 5).
# Past this size the input is not one report (a log, a dump, /dev/zero): refused before it exhausts memory.
MAX_REPORT_BYTES = 20 * 2**20
# Control characters other than tab, line feed, form feed and carriage return: text reports have (almost) none,
# binary files many. Above this share of the characters, the input is not a report.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
# A name that is safe on every filesystem: no separators, no control characters, no reserved punctuation.
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def decode_report(data: bytes, label: str) -> str:
    """Bytes of a report -> text with ``\\n`` line ends. UTF-8 (with or without BOM), UTF-16 with a BOM and
    Windows-1252 (a superset of the printable Latin-1) are accepted; anything else is an :class:`InputError`
    naming ``label``.

    >>> decode_report(b"Diab\\xe8te", "r.txt")
    'Diabète'
    """
    if len(data) > MAX_REPORT_BYTES:
        raise InputError(f"{label}: larger than {MAX_REPORT_BYTES // 2**20} MB; split it into reports")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Windows "Unicode" text (Notepad) is UTF-16 with a BOM; its NUL bytes are not a sign of a binary file.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{label}: starts with a UTF-16 byte order mark but is not UTF-16 text") from None
    else:
        if b"\x00" in data:
            raise InputError(f"{label}: binary file (NUL bytes), not a text report")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # French reports exported from Windows tools are often cp1252; it decodes any byte sequence that is
            # text, and fails on the five bytes it leaves undefined (a sign of binary data).
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise InputError(f"{label}: not UTF-8 or Windows-1252 text (undecodable byte at {exc.start})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_CONTROL.findall(text))
    if controls and controls > _MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{label}: binary content ({controls} control characters), not a text report")
    if not text.strip():
        raise InputError(f"{label}: empty report (no text to convert)")
    return text


def read_report(path: Path) -> str:
    """Read and decode one report file; every problem is an :class:`InputError` naming the file."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_REPORT_BYTES + 1)  # never the whole of /dev/zero or of a runaway log
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a report file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return decode_report(data, str(path))


def read_stream(stream: BinaryIO, label: str) -> str:
    """Read and decode a report from a byte stream (standard input), with the same limit and checks."""
    return decode_report(stream.read(MAX_REPORT_BYTES + 1), label)


def safe_output_name(name: str) -> str:
    """A file name derived from a report id that cannot leave its folder: separators, control characters and
    leading dots (``..``, hidden files, the temporary files of :func:`atomic_write`) are replaced by ``_``.

    >>> safe_output_name("../../etc/passwd"), safe_output_name("/abs/x"), safe_output_name("cas 12")
    ('_.._etc_passwd', '_abs_x', 'cas 12')
    """
    cleaned = _UNSAFE_NAME_CHARS.sub("_", name).strip()
    cleaned = re.sub(r"^\.+", "_", cleaned)
    return cleaned[:200] or "report"


def output_path(out_dir: Path, name: str, suffix: str) -> Path:
    """``out_dir / <safe name>.<suffix>``, checked to be directly inside ``out_dir``."""
    path = out_dir / f"{safe_output_name(name)}.{suffix}"
    # The parent, not the file, is resolved: an existing symlink at the output name is replaced (os.replace
    # renames over the link itself), never followed.
    if path.parent.resolve() != out_dir.resolve() or path.name in (".", ".."):
        raise InputError(f"{name!r}: output path would leave the output folder {out_dir}")
    return path


def unique_names(stems: list[str]) -> list[str]:
    """One distinct output name per input, in order: the first input of a stem keeps it, later ones get ``-2``,
    ``-3`` ... (never a name another input already uses). Compared without case, as on Windows and macOS disks.

    >>> unique_names(["a", "b", "a", "a-2"])
    ['a', 'b', 'a-3', 'a-2']
    """
    safe = [safe_output_name(s) for s in stems]
    taken = {s.casefold() for s in safe}
    out: list[str] = []
    used: set[str] = set()
    for name in safe:
        if name.casefold() in used:
            n = 2
            while f"{name}-{n}".casefold() in taken:
                n += 1
            name = f"{name}-{n}"
            taken.add(name.casefold())
        used.add(name.casefold())
        out.append(name)
    return out


def atomic_write(path: Path, content: str) -> None:
    """Write to a temporary file in the same folder, then rename: never a half-written output file, even when
    the write fails or the run is interrupted (the temporary file is removed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    # O_EXCL: never write through an existing file or link; mode 0666 minus the umask, like any output file
    # (tempfile.mkstemp would make it private, 0600).
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        # encoded once and written in one call (no text layer, no newline translation)
        with os.fdopen(fd, "wb") as f:
            f.write(content.encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def safe_xml_parser() -> Any:
    """The only way fhirconv parses XML (FHIR XML given back to ``fhir.resources``' ``model_validate_xml(...,
    xmlparser=...)``): no entity expansion (billion laughs, XXE), no DTD loading, no network access, no huge trees.
    fhirconv writes XML but reads none today; any future reader must use this parser (docs/SECURITY.md)."""
    from lxml import etree  # type: ignore[import-untyped]

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )
