"""ETL: report documents in, one normalized row per numeric claim out."""
