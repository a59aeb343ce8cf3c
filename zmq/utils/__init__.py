"""Helpers shipped with zmq: z85, jsonapi, monitor parsing, interop casts and compat modules."""
