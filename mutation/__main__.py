"""`python -m mutation ...` is the same as the `mutation-gate` console script."""

import sys

from mutation.cli import main

sys.exit(main())
