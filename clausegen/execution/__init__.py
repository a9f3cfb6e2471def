"""Execution: commitments, participants and the hours ledger, checked together, then reconciled
(required vs committed vs realised, penalties). Imports ``inputs``, ``law``, ``calibration``."""
