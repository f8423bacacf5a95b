"""Where a rendered document goes: a path (written atomically) or an open binary stream."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

Destination = str | os.PathLike[str] | IO[bytes]


@contextmanager
def output(path_or_stream: Destination) -> Iterator[IO[bytes]]:
    """Yield a binary stream to write to.

    A path is written as "<path>.part" and renamed when the block succeeds, so a
    failed render never leaves a truncated document under the real name (and a
    previous good one stays). A stream is used as it is and left open.
    """
    if not isinstance(path_or_stream, str | os.PathLike):
        yield path_or_stream
        return
    partial = f"{os.fspath(path_or_stream)}.part"
    try:
        with open(partial, "wb") as stream:
            yield stream
        os.replace(partial, path_or_stream)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
