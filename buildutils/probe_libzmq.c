/* Probe a libzmq: print the runtime and header versions and its capabilities.
 * Compiled, linked and run by buildutils/probe.py with the extension's compiler and
 * flags, so a libzmq that passes here will also build and load the extension. */
#include <stdio.h>
#include <zmq.h>

int main(void)
{
    int major = 0, minor = 0, patch = 0;
    zmq_version(&major, &minor, &patch);
    printf("runtime %d.%d.%d\n", major, minor, patch);
    printf("header %d.%d.%d\n", ZMQ_VERSION_MAJOR, ZMQ_VERSION_MINOR, ZMQ_VERSION_PATCH);
#if ZMQ_VERSION_MAJOR > 4 || (ZMQ_VERSION_MAJOR == 4 && ZMQ_VERSION_MINOR >= 1)
    {
        /* zmq_has() appeared in 4.1; older headers report no capabilities. */
        static const char *const names[] = {
            "curve", "ipc", "pgm", "gssapi", "norm", "draft", "tipc", "vmci",
        };
        size_t i;
        for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            printf("has %s %d\n", names[i], zmq_has(names[i]) ? 1 : 0);
        }
    }
#endif
    return 0;
}
