"""Views of a sizing: JSON and CSV for scripts, a table and a French explanation for people."""
