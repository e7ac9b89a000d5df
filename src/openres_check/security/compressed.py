"""Compressed pickles (joblib's `compress=`): decompressed as a stream, never to memory or
disk as a whole, and analysed like any joblib file. LZ4 has no reader in the standard
library, so an LZ4 file needs review."""

from __future__ import annotations

import io
import zlib
from typing import IO, TYPE_CHECKING

from openres_check.security.allowlist import Profile
from openres_check.security.formats import Format
from openres_check.security.pickle_scan import analyse_pickle
from openres_check.security.pickles import issues_from, unanalysable

if TYPE_CHECKING:
    from openres_check.model.security import SecurityIssue
    from openres_check.security.interface import ScannedFile

__all__ = ["CompressedPickleScanner"]

_CHUNK = 64 * 1024


class _ZlibStream(io.RawIOBase):
    """A zlib stream (joblib's default compressor) as a forward-seekable binary stream."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        self._inflater = zlib.decompressobj()
        self._position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        wanted = len(buffer)
        data = self._inflater.unconsumed_tail and self._inflater.decompress(
            self._inflater.unconsumed_tail, wanted)
        while not data and not self._inflater.eof:
            compressed = self._raw.read(_CHUNK)
            if not compressed:
                break
            data = self._inflater.decompress(compressed, wanted)
        buffer[:len(data)] = data
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        target = offset if whence == io.SEEK_SET else self._position + offset
        if whence not in (io.SEEK_SET, io.SEEK_CUR) or target < self._position:
            raise io.UnsupportedOperation("a zlib stream seeks forward only")
        scratch = bytearray(_CHUNK)
        while self._position < target:
            view = memoryview(scratch)[:min(_CHUNK, target - self._position)]
            if not self.readinto(view):
                break
        return self._position


def _open(raw: IO[bytes], head: bytes) -> io.BufferedIOBase | None:
    import bz2  # noqa: PLC0415 - compressed files are rare: load the codecs when met
    import gzip  # noqa: PLC0415
    import lzma  # noqa: PLC0415

    if head.startswith(b"\x1f\x8b"):
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if head.startswith(b"BZh"):
        return bz2.BZ2File(raw)
    if head.startswith(b"\xfd7zXZ\x00"):
        return lzma.LZMAFile(raw, format=lzma.FORMAT_XZ)
    if head.startswith(b"\x5d\x00\x00"):
        return lzma.LZMAFile(raw, format=lzma.FORMAT_ALONE)
    if head[:1] == b"\x78":
        return io.BufferedReader(_ZlibStream(raw))
    return None


def _lzma_error() -> type[Exception]:
    import lzma  # noqa: PLC0415 - already loaded by _open when this is reached

    return lzma.LZMAError


class CompressedPickleScanner:
    formats = frozenset({Format.JOBLIB_COMPRESSED})

    def scan(self, file: ScannedFile) -> list[SecurityIssue]:
        try:
            with file.path.open("rb") as raw:
                head = raw.read(8)
                raw.seek(0)
                stream = _open(raw, head)
                if stream is None:
                    return [unanalysable(file.relative, None, "compressed with a method "
                                         "(LZ4) this scan cannot read: its pickle is not "
                                         "analysed")]
                with stream:
                    report = analyse_pickle(stream, Profile.JOBLIB)
        except (OSError, EOFError, zlib.error, _lzma_error()) as exc:
            return [unanalysable(file.relative, None, f"cannot be decompressed: {exc}")]
        return issues_from(report, file.relative, None, Profile.JOBLIB)
