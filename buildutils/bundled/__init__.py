"""The bundled libzmq (and libsodium for CURVE), built from verified tarballs.

Layers, lowest first: :mod:`~buildutils.bundled.fetch` (tarballs: lookup, download,
verification, safe unpacking), :mod:`~buildutils.bundled.patch` (our patches),
:mod:`~buildutils.bundled.target` (what the compiler builds for, how each compiler family
is driven); :mod:`~buildutils.bundled.checks` (the compiler-check runner);
:mod:`~buildutils.bundled.libzmq_config`, :mod:`~buildutils.bundled.libsodium_config` (what
the checks mean for each library), :mod:`~buildutils.bundled.compile` (parallel, cached
compiles and archives); :mod:`~buildutils.bundled.build` (:func:`prepare`, the entry point).
"""
