"""libsodium's configuration for the bundled build: its defines and per-ISA compiler flags.

From :mod:`buildutils.bundled.checks` answers: the configure-style ``HAVE_*`` defines, the
``CFLAGS_<ISA>`` substitutions (``-mavx2`` ...) its Makefile.am attaches to some sources,
and what its MSVC projects set instead. Also what the build reads from libsodium's own
files: the variables of its Makefile.am and its generated ``version.h``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from buildutils.bundled.checks import Check, run_checks
from buildutils.bundled.fetch import BundleError
from buildutils.bundled.target import Target
from buildutils.model import Macros

_AVX512 = """\
#ifndef __AVX512F__
#error no avx512f
#endif
    __m512i x = _mm512_setzero_epi32();
    __m512i y = _mm512_permutexvar_epi64(_mm512_setr_epi64(0, 1, 4, 5, 2, 3, 6, 7), x);
    (void) y;"""

#: Makefile.am's @CFLAGS_X@ name, the macro its sources test, the flag, the intrinsics test.
SODIUM_ISAS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "MMX",
        "HAVE_MMINTRIN_H",
        "-mmmx",
        "mmintrin.h",
        "    __m64 x = _mm_setzero_si64(); (void) x;",
    ),
    (
        "SSE2",
        "HAVE_EMMINTRIN_H",
        "-msse2",
        "emmintrin.h",
        "    __m128i z = _mm_srli_epi64(_mm_setzero_si128(), 26); (void) z;",
    ),
    (
        "SSE3",
        "HAVE_PMMINTRIN_H",
        "-msse3",
        "pmmintrin.h",
        "    __m128 x = _mm_addsub_ps(_mm_setzero_ps(), _mm_setzero_ps()); (void) x;",
    ),
    (
        "SSSE3",
        "HAVE_TMMINTRIN_H",
        "-mssse3",
        "tmmintrin.h",
        "    __m128i x = _mm_abs_epi32(_mm_setzero_si128()); (void) x;",
    ),
    (
        "SSE41",
        "HAVE_SMMINTRIN_H",
        "-msse4.1",
        "smmintrin.h",
        "    __m128i x = _mm_minpos_epu16(_mm_setzero_si128()); (void) x;",
    ),
    ("AVX", "HAVE_AVXINTRIN_H", "-mavx", "immintrin.h", "    _mm256_zeroall();"),
    (
        "AVX2",
        "HAVE_AVX2INTRIN_H",
        "-mavx2",
        "immintrin.h",
        "    __m256i y = _mm256_broadcastsi128_si256(_mm_setzero_si128());\n"
        "    __m256 x = _mm256_permutevar8x32_ps(_mm256_set1_ps(1.0f), _mm256_set1_epi32(1));\n"
        "    (void) x; (void) y;",
    ),
    ("AVX512F", "HAVE_AVX512FINTRIN_H", "-mavx512f", "immintrin.h", _AVX512),
    (
        "AESNI",
        "HAVE_WMMINTRIN_H",
        "-maes -mpclmul",
        "wmmintrin.h",
        "    __m128i x = _mm_aesimc_si128(_mm_setzero_si128());\n"
        "    __m128i y = _mm_clmulepi64_si128(x, x, 0); (void) y;",
    ),
    (
        "RDRAND",
        "HAVE_RDRAND",
        "-mrdrnd",
        "immintrin.h",
        "    unsigned long long x;\n    return _rdrand64_step(&x) - 1;",
    ),
)

_X86_64_ONLY = """\
#if !defined(__x86_64__) || defined(_WIN32) || defined(__CYGWIN__)
#error not x86_64 with the SysV ABI
#endif
"""


def _plain(name: str, body: str, headers: tuple[str, ...] = ()) -> Check:
    return Check(name, body, headers)


SODIUM_CHECKS: tuple[Check, ...] = (
    *(
        Check(f"ISA_{n}", body, (hdr,), flags=tuple(flag.split()), link=False)
        for n, _, flag, hdr, body in SODIUM_ISAS
    ),
    Check(
        "NATIVE_LITTLE_ENDIAN",
        "#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__\n#error big\n#endif\nint main(void) { return 0; }",
        link=False,
    ),
    Check(
        "NATIVE_BIG_ENDIAN",
        "#if __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__\n#error little\n#endif\nint main(void) { return 0; }",
        link=False,
    ),
    _plain(
        "HAVE_INLINE_ASM", '    int a = 1;\n    __asm__ __volatile__("" : : "r"(&a) : "memory");'
    ),
    Check(
        "HAVE_AMD64_ASM",
        _X86_64_ONLY
        + 'int main(void) {\n    unsigned char i = 0, o = 0, t;\n    __asm__ __volatile__("pxor %%xmm12, %%xmm6\\n"\n'
        '        "movb (%[i]), %[t]\\n" "addb %[t], (%[o])\\n"\n'
        '        : [t] "=&r"(t) : [o] "D"(&o), [i] "S"(&i) : "memory", "flags", "cc");\n    return o;\n}',
        link=False,
    ),
    Check(
        "HAVE_AVX_ASM",
        _X86_64_ONLY
        + 'int main(void) {\n    __asm__ __volatile__("vpunpcklqdq %xmm0,%xmm13,%xmm0");\n    return 0;\n}',
        link=False,
    ),
    Check(
        "HAVE_TI_MODE",
        "#if !defined(__SIZEOF_INT128__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__\n#error no\n#endif\n"
        "typedef unsigned __int128 u128;\n"
        "int main(void) { u128 t = 3; t *= t; t >>= 84; return (int) t; }",
        link=False,
    ),
    _plain(
        "HAVE_CPUID",
        "    unsigned int a, b, c, d;\n"
        '    __asm__ __volatile__("xchgl %%ebx, %k1; cpuid; xchgl %%ebx, %k1"\n'
        '        : "=a"(a), "=&r"(b), "=c"(c), "=d"(d) : "0"(0U), "2"(0U));\n    return (int) (a & 0);',
    ),
    _plain(
        "hidden_directive",
        '    __asm__ __volatile__(".hidden sym_probe\\n.globl sym_probe\\nsym_probe:\\n nop\\n");',
    ),
    Check(
        "HAVE_WEAK_SYMBOLS",
        "#if !defined(__ELF__) && !defined(__APPLE_CC__)\n#error no\n#endif\n"
        "__attribute__((weak)) void probe_weak(void *x) { (void) x; }\n"
        "int main(void) { probe_weak(0); return 0; }",
    ),
    Check(
        "CPU_UNALIGNED_ACCESS",
        "#if !(defined(__i386__) || defined(__x86_64__) || defined(__powerpc__) || "
        "defined(__s390__) || defined(__ARM_FEATURE_UNALIGNED))\n#error aligned\n#endif\nint main(void) { return 0; }",
        link=False,
    ),
    _plain(
        "HAVE_ATOMIC_OPS",
        "    static volatile int l;\n    __sync_lock_test_and_set(&l, 1);\n    __sync_lock_release(&l);",
    ),
    Check("tls_thread_local", "static _Thread_local int v;\nint main(void) { return v; }"),
    Check("tls_gnu", "static __thread int v;\nint main(void) { return v; }"),
    _plain("HAVE_SYS_MMAN_H", "", ("sys/mman.h",)),
    _plain("HAVE_SYS_RANDOM_H", "", ("sys/random.h",)),
    _plain("HAVE_ALLOCA_H", "    return *(char *) alloca(1) & 0;", ("alloca.h",)),
    _plain("HAVE_PTHREAD", "    return (int) pthread_self() & 0;", ("pthread.h",)),
    _plain(
        "HAVE_MMAP",
        "    return mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0) == 0;",
        ("sys/mman.h",),
    ),
    _plain("HAVE_MLOCK", "    char b[1];\n    return mlock(b, 1);", ("sys/mman.h",)),
    _plain(
        "HAVE_MADVISE", "    char b[1];\n    return madvise(b, 1, MADV_DONTDUMP);", ("sys/mman.h",)
    ),
    _plain(
        "HAVE_MPROTECT", "    char b[1];\n    return mprotect(b, 1, PROT_READ);", ("sys/mman.h",)
    ),
    _plain(
        "HAVE_GETRANDOM", "    char b[1];\n    return (int) getrandom(b, 1, 0);", ("sys/random.h",)
    ),
    Check(
        "HAVE_GETENTROPY",
        "#ifdef __APPLE__\n#error not used on Apple systems\n#endif\n"
        "#include <unistd.h>\n#include <sys/random.h>\nint main(void) { char b[1]; return getentropy(b, 1); }",
    ),
    _plain(
        "HAVE_POSIX_MEMALIGN", "    void *p;\n    return posix_memalign(&p, 64, 64);", ("stdlib.h",)
    ),
    _plain("HAVE_GETPID", "    return (int) getpid();", ("unistd.h",)),
    _plain(
        "HAVE_NANOSLEEP",
        "    struct timespec t = {0, 0};\n    return nanosleep(&t, 0);",
        ("time.h",),
    ),
    _plain("HAVE_EXPLICIT_BZERO", "    char b[1];\n    explicit_bzero(b, 1);", ("string.h",)),
    _plain("HAVE_MEMSET_S", "    char b[1];\n    return memset_s(b, 1, 0, 1);", ("string.h",)),
    _plain("HAVE_EXPLICIT_MEMSET", "    char b[1];\n    explicit_memset(b, 0, 1);", ("string.h",)),
    _plain("HAVE_ARC4RANDOM", "    return (int) arc4random();", ("stdlib.h",)),
    _plain("HAVE_ARC4RANDOM_BUF", "    char b[1];\n    arc4random_buf(b, 1);", ("stdlib.h",)),
    _plain("HAVE_C_VARARRAYS", "    int n = 3;\n    char v[n];\n    v[0] = 0;\n    return v[0];"),
)


#: libsodium as its MSVC projects build it: no configure step, the intrinsics headers found
#: by its own private/common.h on x86/x64 (no ISA flags with cl.exe; none at all on ARM64),
#: C's ``inline`` spelled ``__inline``, little-endian.
MSVC_SODIUM_MACROS: Macros = [
    ("CONFIGURED", "1"),
    ("SODIUM_STATIC", "1"),
    ("NATIVE_LITTLE_ENDIAN", "1"),
    ("_CRT_SECURE_NO_WARNINGS", "1"),
    ("inline", "__inline"),
]


def sodium_settings(
    compiler: Any, target: Target, workdir: Path
) -> tuple[dict[str, bool], Macros, dict[str, str]]:
    """(check answers, defines, ``CFLAGS_<ISA>`` substitutions) for libsodium on ``target``."""
    if target.msvc:
        return {}, list(MSVC_SODIUM_MACROS), {}
    answers = run_checks(compiler, SODIUM_CHECKS, workdir, libraries=target.probe_libraries())
    macros, flags = sodium_config(answers)
    return answers, macros, flags


def sodium_config(answers: Mapping[str, bool]) -> tuple[Macros, dict[str, str]]:
    """libsodium's defines and the ``CFLAGS_<ISA>`` substitutions for its Makefile.am."""
    macros: Macros = [("CONFIGURED", "1"), ("SODIUM_STATIC", "1"), ("HAVE_UNISTD_H", "1")]
    flags: dict[str, str] = {}
    for isa, macro, flag, _, _ in SODIUM_ISAS:
        if answers.get(f"ISA_{isa}"):
            macros.append((macro, "1"))
            flags[isa] = flag
    non_isa = [c.name for c in SODIUM_CHECKS if c.name.isupper() and not c.name.startswith("ISA_")]
    macros += [(name, "1") for name in non_isa if answers.get(name)]
    if answers.get("HAVE_ALLOCA_H"):
        macros.append(("HAVE_ALLOCA", "1"))
    if answers.get("hidden_directive"):
        macros.append(("ASM_HIDE_SYMBOL", ".hidden"))
    if answers.get("tls_thread_local"):
        macros.append(("TLS", "_Thread_local"))
    elif answers.get("tls_gnu"):
        macros.append(("TLS", "__thread"))
    return macros, flags


def parse_makefile_am(text: str, conditions: Mapping[str, bool]) -> dict[str, list[str]]:
    """Variables (``X = ...`` / ``X += ...``) of an automake file under ``conditions``.

    ``if COND`` / ``if !COND`` / ``else`` / ``endif`` blocks are honoured; unknown
    conditions count as false. Values are split into words, continuation lines joined.
    """
    joined = re.sub(r"\\\n", " ", text)
    variables: dict[str, list[str]] = {}
    stack: list[bool] = []
    for raw in joined.splitlines():
        line = raw.split("#", 1)[0].strip()
        words = line.split()
        if not words:
            continue
        if words[0] == "if":
            cond = words[1]
            negate = cond.startswith("!")
            stack.append(conditions.get(cond.lstrip("!"), False) != negate)
            continue
        if words[0] == "else":
            stack[-1] = not stack[-1]
            continue
        if words[0] == "endif":
            stack.pop()
            continue
        if not all(stack):
            continue
        m = re.match(r"^([A-Za-z0-9_]+)\s*(\+?=)\s*(.*)$", line)
        if m:
            name, op, text = m.groups()
            if op == "=":
                variables[name] = text.split()
            else:
                variables.setdefault(name, []).extend(text.split())
    return variables


def sodium_version_h(tree: Path) -> str:
    """``version.h`` from ``version.h.in`` with the numbers configure.ac sets."""
    conf = (tree / "configure.ac").read_text()
    version = re.search(r"AC_INIT\(\[libsodium\],\s*\[([^\]]+)\]", conf)
    major = re.search(r"^SODIUM_LIBRARY_VERSION_MAJOR=(\d+)", conf, re.M)
    minor = re.search(r"^SODIUM_LIBRARY_VERSION_MINOR=(\d+)", conf, re.M)
    if not (version and major and minor):
        raise BundleError(f"{tree}/configure.ac: cannot read libsodium's version numbers")
    template = (tree / "src" / "libsodium" / "include" / "sodium" / "version.h.in").read_text()
    body = (
        template.replace("@VERSION@", version.group(1))
        .replace("@SODIUM_LIBRARY_VERSION_MAJOR@", major.group(1))
        .replace("@SODIUM_LIBRARY_VERSION_MINOR@", minor.group(1))
        .replace("@SODIUM_LIBRARY_MINIMAL_DEF@", "")
    )
    return (
        "/* Generated by buildutils/bundled/libsodium_config.py from version.h.in; do not edit. */\n"
        + body
    )
