"""`python -m etl`: run the ETL (see etl/run.py for the options and exit codes)."""

from etl.run import main

raise SystemExit(main())
