# The type of zmq/_build_info.py, which every build generates (buildutils/buildinfo.py lists
# its keys); declared here so that type checkers need no build.
from typing import Any

BUILD_INFO: dict[str, Any]
