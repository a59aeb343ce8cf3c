"""Build support for the ``zmq`` package: libzmq discovery, probing, the bundled build.

``setup.py`` only wires these modules together; each one is importable and unit-tested
(``tests/buildutils``). The modules form layers, and a module imports only from layers
below its own, at module level (``tests/buildutils/test_layers.py`` enforces it):

1. data and primitives: :mod:`~buildutils.model` (:class:`~buildutils.model.LibzmqBuild`,
   :class:`~buildutils.model.ProbeResult`), :mod:`~buildutils.compiler` (compile and run
   small C programs), :mod:`~buildutils.msg` (build messages),
   :mod:`~buildutils.constant_names` (THE list of constants);
2. discovery and probes: :mod:`~buildutils.discover` (where a system libzmq may be),
   :mod:`~buildutils.probe` (what a candidate is), :mod:`~buildutils.header_constants`
   (which constants its zmq.h has), :mod:`~buildutils.constants_module` (the committed
   ``zmq/constants.py``), :mod:`~buildutils.buildinfo` (``zmq/_build_info.py``);
3. ``buildutils.bundled``: the bundled libzmq + libsodium, itself layered -- ``fetch``,
   ``patch``, ``target``; ``checks``; ``libzmq_config``, ``libsodium_config``,
   ``compile``; ``build`` (:func:`buildutils.bundled.build.prepare`);
4. :mod:`~buildutils.config` -- :func:`~buildutils.config.resolve_zmq` picks the libzmq;
5. the setuptools side: :mod:`~buildutils.build_cffi` (the CFFI extension), then
   :mod:`~buildutils.build_ext` (the ``build_ext`` command, :func:`make_extensions`).

``distutils`` is imported inside functions: on Python >= 3.12 it exists only once
setuptools has been imported (:mod:`buildutils.compiler` does that first).
"""
