# libzmq's draft API: on a build without it, draft-only entry points raise an error that
# says how to get it (zmq.backend._draft). Only error paths and draft calls come here.

# drafts usable: this extension compiled them in and the linked libzmq has them
cdef bint _draft_on = ZMQ_PY_HAVE_DRAFT and zmq_has(b"draft")


cdef int _need_draft(str feature) except -1:
    if not _draft_on:
        from zmq.backend._draft import missing
        raise missing(feature)
    return 0


cdef int _option_rc(int rc, int option) except -1:
    """_check_rc for set/get: a draft option refused without drafts says how to get them."""
    cdef int err
    if rc != -1:
        return 0
    err = _zmq_errno_c()
    from zmq.backend._draft import option_error
    exc = option_error(option, err, _draft_on)
    if exc is not None:
        raise exc
    return _raise_errno(err)
