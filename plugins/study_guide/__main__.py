from __future__ import annotations

import os
import sys

from .adapters.cli.cli import main

try:
    sys.exit(main())
except BrokenPipeError:
    # Output piped into `head` and the like: stop quietly, as other command-line tools do.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(1)
