"""Code the dashboard pages share: loading, filtering, charts, shared filters."""
