"""Build support for the ``zmq`` package: libzmq discovery, probing, constants, build info.

``setup.py`` only wires these modules together; each one is importable and unit-tested
(``tests/buildutils``). Entry points:

* :func:`buildutils.config.resolve_zmq` -- pick and probe the libzmq to build against;
* :func:`buildutils.build_ext.make_extensions` -- the extension list for that libzmq;
* :mod:`buildutils.constants` -- generate the constants files from the headers used.
"""
