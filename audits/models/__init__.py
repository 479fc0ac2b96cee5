"""The models of ``audits``, one submodule per concern."""

from .exits import *  # noqa: F403
