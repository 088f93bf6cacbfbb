"""`python -m docsearch.cli …` runs the command line."""

import sys

from docsearch.cli import main

sys.exit(main())
