"""clausegen: sizing and documents for French social insertion clauses."""

from importlib.metadata import version

__version__ = version("clausegen")
