"""``python -m entente.cli``: the same as the ``entente`` command."""
from . import main

main()
