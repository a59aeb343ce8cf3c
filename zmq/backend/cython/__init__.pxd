# `from zmq.backend.cython cimport Context, Frame, Socket` (see _zmq.pxd)
from zmq.backend.cython._zmq cimport Context, Frame, Socket
