"""``python -m schoolhr``: the same entry point as the ``schoolhr`` command."""

import sys

from schoolhr.cli import main

sys.exit(main())
