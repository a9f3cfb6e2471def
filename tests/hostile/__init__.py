"""A generated corpus of hostile inputs, run through the command line (issue 15).

Every case is built at test time (no committed files): a generator writes one broken input
beside valid ones, gives the command to run, and says what the error must name.
``tests/test_hostile.py`` runs each case and checks, for every one:

- the exit code (1 for a refused input, 2 for a usage error) and no traceback;
- stderr: every line starts with ``Error:``, names the file and each of the case's
  ``names`` (the field path, the row or column), and stays short (``MAX_STDERR_BYTES``);
- nothing is left in the output folder (``{out}`` in the arguments, never created before);
- peak memory (how much the process that ran it grew above its size at the start, its
  ``VmHWM`` against its ``VmRSS``: ``MAX_GROWTH_MIB``) and time (``Case.timeout``, by
  default ``TIME_LIMIT_S``) within limits.

How a case runs (``tests/hostile/runner.py``): in a process forked from the test process,
which has clausegen imported, so a case costs a fork (a few milliseconds), not an
interpreter start; the command runs in it through click's ``CliRunner``, in-process. The
fork gives each case its own memory high-water mark and lets a hung case (a named pipe…)
be killed by its pid at its timeout; ``RLIMIT_AS`` bounds it so a runaway case fails alone
instead of exhausting the machine.

Adding a class of cases
-----------------------
1. Write ``tests/hostile/<class>.py`` with a function ``cases() -> Iterator[Case]``. Build
   each ``Case`` with a unique ``name``, a ``build(folder) -> list[str]`` that writes its
   inputs into ``folder`` and returns the command's arguments (write ``{out}`` where the
   output folder goes), and ``names``: the strings stderr must contain (the field path,
   ``row 2, column heures``…). ``file`` is the input file the error must name (relative to
   ``folder``), ``exit_code`` 2 for a usage error. ``tests/hostile/bases.py`` has the
   sample inputs and the helpers that put one raw value into a YAML, JSON, CSV or XLSX
   file (``operation_case``, ``participants_case``, ``commitment_case``, ``ledger_case``).
2. Add the module to ``CLASSES`` in ``tests/hostile/corpus.py``. Its cases then run in
   ``tests/test_hostile.py`` under ids ``<class>/<name>``, and the corpus summary test
   counts them.
"""
