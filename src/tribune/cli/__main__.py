"""``python -m tribune.cli``: the same as the ``tribune`` command."""

from tribune.cli import main

main()
