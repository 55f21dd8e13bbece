"""`python -m pickpack.cli`: the same as the `pickpack` command."""

import sys

from pickpack.cli import main

sys.exit(main())
