"""`python -m api.insights export-nlu --out data/nlu/reviewed.yml` and `ingest` (api.insights.cli)."""

import sys

from api.insights.cli import main

sys.exit(main())
