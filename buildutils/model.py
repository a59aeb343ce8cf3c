"""The build's data model: how to compile and link against one libzmq, and what its probe said.

Bottom layer: imports nothing from ``buildutils``. Every other layer passes these around
(:mod:`buildutils.config` chooses a :class:`LibzmqBuild`, ``buildutils.bundled`` builds one,
:mod:`buildutils.build_ext` compiles the extensions with it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

Version = tuple[int, int, int]
Macros = list[tuple[str, Optional[str]]]

#: libzmq older than this is refused (by header or runtime version).
MIN_VERSION = (3, 0)
#: Environment switch asking for libzmq's draft API (as pyzmq's build has it).
DRAFT_ENV = "ZMQ_DRAFT_API"
DRAFT_MACRO = ("ZMQ_BUILD_DRAFT_API", "1")
#: What the libzmq probe (``probe_libzmq.c``) asks ``zmq_has()`` about.
CAPABILITIES = ("curve", "ipc", "pgm", "gssapi", "norm", "draft", "tipc", "vmci")


def draft_requested(env: Mapping[str, str]) -> bool:
    return env.get(DRAFT_ENV, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class ProbeResult:
    """What the libzmq probe printed (or, for a cross build, what its headers say)."""

    runtime_version: Version
    header_version: Version
    #: ``zmq_has()`` answers; empty for libzmq < 4.1 (no ``zmq_has``).
    capabilities: dict[str, bool] = field(default_factory=dict)

    @property
    def version_str(self) -> str:
        return ".".join(map(str, self.runtime_version))


def find_header(include_dirs: Sequence[str], prefix: Optional[str]) -> Optional[str]:
    """The zmq.h a compile with ``include_dirs`` sees (falling back to default dirs)."""
    dirs = [*include_dirs]
    if prefix:
        dirs.append(str(Path(prefix) / "include"))
    dirs += ["/usr/local/include", "/usr/include"]
    for d in dirs:
        h = Path(d) / "zmq.h"
        if h.is_file():
            return str(h)
    return None


@dataclass
class LibzmqBuild:
    """How to compile and link against one libzmq (a system install or the bundled build)."""

    kind: str  # "system" | "bundled"
    prefix: Optional[str] = None
    include_dirs: list[str] = field(default_factory=list)
    library_dirs: list[str] = field(default_factory=list)
    libraries: list[str] = field(default_factory=list)
    extra_objects: list[str] = field(default_factory=list)
    runtime_library_dirs: list[str] = field(default_factory=list)
    define_macros: Macros = field(default_factory=list)
    probe: Optional[ProbeResult] = None
    #: One line per candidate rejected before this one was chosen.
    reasons: list[str] = field(default_factory=list)
    extra_compile_args: list[str] = field(default_factory=list)
    extra_link_args: list[str] = field(default_factory=list)
    #: Where the choice came from: "--zmq", "ZMQ_PREFIX", "pkg-config", "standard prefix",
    #: "bundled".
    origin: str = ""
    #: Version of a bundled libsodium (None for a system libzmq).
    libsodium: Optional[str] = None

    def header(self) -> Optional[str]:
        """Path of the zmq.h these include dirs resolve to."""
        return find_header(self.include_dirs, self.prefix)

    @property
    def draft(self) -> bool:
        """Whether the extensions are compiled with libzmq's draft API."""
        return any(name == DRAFT_MACRO[0] for name, _ in self.define_macros)

    def summary(self) -> str:
        """The one line the build prints about its choice."""
        version = self.probe.version_str if self.probe else "(version unprobed)"
        where = f"prefix {self.prefix}" if self.prefix else "default compiler paths"
        caps = ""
        if self.probe and self.probe.capabilities:
            caps = "; has " + ",".join(k for k, v in self.probe.capabilities.items() if v)
        return f"using {self.kind} libzmq {version} ({self.origin}, {where}{caps})"
