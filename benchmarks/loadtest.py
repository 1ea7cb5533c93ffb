"""The load-test suite (issue 11 §1): ``make loadtest`` or

    .venv/bin/python benchmarks/loadtest.py [--sizes 1M,10M] [--duration 15] [--only ...]
        [--fresh] [--keep-server] [--docs]

See ``benchmarks/load/runner.py`` and benchmarks/README.md ("Load tests").
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load.runner import main

if __name__ == "__main__":
    sys.exit(main())
