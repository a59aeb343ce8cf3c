"""Print the log records a :class:`zmq.log.handlers.PUBHandler` publishes.

``python -m zmq.log tcp://127.0.0.1:5555`` subscribes to a PUB socket and prints one line
per record: ``TOPIC | MESSAGE`` (the topic is the handler's root topic and the level name,
joined by dots). ``-h`` lists the options: ``--topic`` subscribes to a topic prefix only
(pass the handler's root topic if it has one), ``--timestamp`` puts the local time first,
``--align`` pads the topic parts into columns, ``--color`` colours lines by level (needs
the colorama package). Stop it with Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Dict, List, Optional

import zmq

#: colorama's ``Fore`` attribute for each level name
_LEVEL_COLORS = {
    "DEBUG": "LIGHTCYAN_EX",
    "INFO": "LIGHTWHITE_EX",
    "WARNING": "YELLOW",
    "ERROR": "LIGHTRED_EX",
    "CRITICAL": "LIGHTRED_EX",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser("ZMQ Log Watcher")
    parser.add_argument("zmq_pub_url", type=str, help="address of the PUB socket to watch")
    parser.add_argument(
        "-t",
        "--topic",
        type=str,
        default="",
        help="print only messages whose topic starts with this",
    )
    parser.add_argument("--timestamp", action="store_true", help="print the local time first")
    parser.add_argument(
        "--separator", type=str, default=" | ", help="text between topic and message"
    )
    parser.add_argument(
        "--dateformat",
        type=str,
        default="%Y-%d-%m %H:%M",
        help="strftime format of --timestamp",
    )
    parser.add_argument(
        "--align",
        action="store_true",
        default=False,
        help="pad the parts of the topics into columns",
    )
    parser.add_argument(
        "--color",
        action="store_true",
        default=False,
        help="colour lines by log level (needs the colorama package)",
    )
    return parser


def _colors() -> Dict[str, str]:
    import colorama  # type: ignore[import-untyped,unused-ignore]

    colorama.init()
    colors = {level: getattr(colorama.Fore, name) for level, name in _LEVEL_COLORS.items()}
    colors["__RESET__"] = colorama.Fore.RESET
    return colors


class _Aligner:
    """Pads each dot-separated part of a topic to the widest seen at its position."""

    def __init__(self) -> None:
        self.widths: List[int] = []

    def __call__(self, parts: List[str]) -> str:
        parts = parts + [" "] * (len(self.widths) - len(parts))
        for i, part in enumerate(parts):
            if i == len(self.widths):
                self.widths.append(len(part))
            else:
                self.widths[i] = max(self.widths[i], len(part))
        return ".".join(part.ljust(width) for part, width in zip(parts, self.widths))


def _show(
    frames: List[bytes], args: argparse.Namespace, colors: Dict[str, str], align: Optional[_Aligner]
) -> None:
    """Print one published record: ``[topic, message]``."""
    topic = frames[0].decode("utf-8", "replace").strip()
    message = b"".join(frames[1:]).decode("utf-8", "replace").strip()
    parts = topic.split(".")
    level = parts[1] if len(parts) > 1 else parts[0]
    stamp = datetime.now().strftime(args.dateformat) + " " if args.timestamp else ""
    shown = align(parts) if align is not None else topic
    color, reset = colors.get(level, ""), colors.get("__RESET__", "")
    # flushed: a watcher is often piped into another tool
    print(f"{stamp}{color}{shown}{args.separator}{message}{reset}", flush=True)


def main(argv: Optional[List[str]] = None) -> None:
    """Watch the publisher named on the command line ``argv`` until Ctrl-C."""
    parser = _parser()
    args = parser.parse_args(argv)
    colors: Dict[str, str] = {}
    if args.color:
        try:
            colors = _colors()
        except ImportError:
            parser.error("--color needs the colorama package (pip install colorama)")
    align = _Aligner() if args.align else None

    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    try:
        sub.subscribe(args.topic.encode("utf-8"))
        sub.connect(args.zmq_pub_url)
        try:
            while True:
                _show(sub.recv_multipart(), args, colors, align)
        except KeyboardInterrupt:  # Ctrl-C, wherever it lands in the loop
            pass
        sub.disconnect(args.zmq_pub_url)
        if colors:
            print(colors["__RESET__"])
    finally:
        sub.close(linger=0)
        ctx.term()


if __name__ == "__main__":
    try:
        main()
    except zmq.ZMQError as e:  # e.g. a malformed address
        sys.exit(f"ZMQ Log Watcher: error: {e}")
