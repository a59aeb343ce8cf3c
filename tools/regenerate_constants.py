"""Regenerate zmq/constants.py and the backends' constant files for the current headers.

Same as ``python -m buildutils.constants``; options: ``--zmq PREFIX|bundled``, ``--root DIR``.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from buildutils.constants import main

if __name__ == "__main__":
    sys.exit(main())
