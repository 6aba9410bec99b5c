"""`python -m etl`: run the ETL (see etl/run.py for the options and exit codes)."""

import sys

try:
    from etl.run import main
except Exception as exc:  # a broken install is reported in one line, like every other failure
    print(f"ETL failed to start: {type(exc).__name__}: {exc}", file=sys.stderr)
    raise SystemExit(1) from None

raise SystemExit(main())
