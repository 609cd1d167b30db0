"""``python -m gametheory``."""

from .cli import main

main()
