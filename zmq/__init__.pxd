# `from zmq cimport Context, Frame, Socket, libzmq`: the Cython backend's extension types
# (see zmq/backend/cython/_zmq.pxd) and the libzmq C API it is built on
from zmq.backend.cython cimport Context, Frame, Socket, libzmq
