/* zmq/backend/zmq_compat.h compiled for Windows (tests/buildutils/test_windows_cross_slow.py): the
 * ipc path limit both backends report is afunix.h's, which libzmq's ipc uses there. */
#include "zmq_compat.h"

#include <afunix.h>

#define SUN_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

_Static_assert(ZMQ_PY_IPC_PATH_MAX_LEN == SUN_PATH_MAX, "IPC_PATH_MAX_LEN is not afunix.h's");
/* the value written out for SDKs without afunix.h */
_Static_assert(SUN_PATH_MAX == 107, "afunix.h's sun_path is not 108 bytes");
_Static_assert(ZMQ_PY_HAVE_DRAFT == 0 || ZMQ_PY_HAVE_DRAFT == 1, "ZMQ_PY_HAVE_DRAFT");

int compat_header_probe(void) { return zmq_py_getpid() > 0; }
