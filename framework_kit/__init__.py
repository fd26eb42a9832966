"""framework-kit: check a YAML design of a peace process against the USIP framework
and render it as draft documents.

The public surface is :mod:`framework_kit.api`; the ``kit`` command is a thin
layer over it.
"""

__version__ = "0.1.0"
