"""Sphinx configuration of the documentation site (``sphinx-build docs docs/_build/html``).

The API reference is generated from the docstrings of the *installed* zmq (build it
first: ``ci/setup.sh`` or ``pip install -e .``), so what the site shows is what
``help()`` shows.
"""

from __future__ import annotations

from typing import Any, Optional

from numpydoc.xref import DEFAULT_LINKS
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
    "numpydoc",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
root_doc = "index"

# docstrings are numpydoc-style (Parameters / Returns / Raises sections)
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = True
numpydoc_xref_aliases = {
    name: f"zmq.{name}" for name in ("Socket", "Context", "Frame", "Poller", "MessageTracker")
}
# no intersphinx (the build is offline): numpydoc's default aliases point into Python's
# docs, so builtins and glossary words stay plain names here
numpydoc_xref_aliases.update({name: name for name in DEFAULT_LINKS})
numpydoc_xref_ignore = {"optional", "or", "of", "fd", "default"}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": True}

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "alabaster"
html_title = f"zmq {release}"
html_static_path: list[str] = []

doctest_global_setup = "import zmq"


def _skip_option_properties(
    app: Sphinx, what: str, name: str, obj: Any, skip: bool, options: Any
) -> Optional[bool]:
    """Skip the generated option properties (``sock.linger``, ``sock.LINGER``, ...): one
    line each, listed once on the Constants page as the members of the option enums."""
    if isinstance(obj, property) and (obj.__doc__ or "").endswith(
        " option (get/set as an attribute)."
    ):
        return True
    return None


def setup(app: Sphinx) -> None:
    app.connect("autodoc-skip-member", _skip_option_properties)
