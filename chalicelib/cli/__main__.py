"""``python -m chalicelib.cli``: the ``docseal`` command without its script."""

import sys

from chalicelib.cli import main

sys.exit(main())
