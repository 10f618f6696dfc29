"""Read side: SQL in, plain data out, for lists, reports and dashboards."""
