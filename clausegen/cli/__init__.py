"""The ``clausegen`` command: click commands, their views (table, CSV, JSON, explanation) and
the one place errors become exit codes. Imports every other step."""
