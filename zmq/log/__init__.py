"""Logging over ZeroMQ: :mod:`zmq.log.handlers` publishes log records on a PUB socket."""
