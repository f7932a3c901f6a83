"""`python -m api.staff create --email ... --role ...` (api.staff.cli)."""

import sys

from api.staff.cli import main

sys.exit(main())
