"""Inputs: files → validated models (the operation file, YAML/JSON/CSV/XLSX readers, located
problems) and where clausegen's bundled data lives. Imports only ``clausegen.errors``."""
