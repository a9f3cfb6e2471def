"""The law: dated versions (parameters and legal fragments) resolved at a date, and the
sandboxed Jinja their texts are written in. Imports ``inputs``; knows no document kind."""
