"""`python -m ochotnicy.cli …`, as the image and the tests start the services."""

import sys

from ochotnicy.cli import main

sys.exit(main())
