"""Sphinx configuration of the documentation site (``sphinx-build docs docs/_build/html``).

The API reference is generated from the docstrings of the *installed* zmq (build it
first: ``ci/setup.sh`` or ``pip install -e .``), so what the site shows is what
``help()`` shows.
"""

from __future__ import annotations

from typing import Any, Optional

from sphinx.application import Sphinx

import zmq

project = "zmq"
author = "zmq binding developers"
copyright = "the zmq binding developers"
release = zmq.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
root_doc = "index"

# docstrings are numpydoc-style (Parameters / Returns / Raises sections)
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_preprocess_types = True
# bare class names in "Parameters" types: the sugar classes (the asyncio, tornado and gevent
# subclasses share the names); "fd" is a file descriptor, not the FD option
napoleon_type_aliases = {
    name: f":class:`zmq.{name}`"
    for name in ("Socket", "Context", "Frame", "Poller", "MessageTracker")
}
napoleon_type_aliases["fd"] = ":obj:`!fd`"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "alabaster"
html_title = f"zmq {release}"
html_static_path: list[str] = []

doctest_global_setup = "import zmq"


def _skip_upper_case_options(
    app: Sphinx, what: str, name: str, obj: Any, skip: bool, options: Any
) -> Optional[bool]:
    """Options are documented once, by their lower-case property (``sock.linger``): skip
    the upper-case twin (``sock.LINGER``)."""
    if isinstance(obj, property) and name.isupper():
        return True
    return None


def setup(app: Sphinx) -> None:
    app.connect("autodoc-skip-member", _skip_upper_case_options)
