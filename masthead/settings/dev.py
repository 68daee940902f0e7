"""Local development and the demo: the embedded defaults, readable errors off by default."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
