"""Calibration (calibrage): each lot's insertion hours and ETP, rounded in one place, traced as
data, with the L2112-2-1 check and its warnings as data. Imports ``inputs`` and ``law``."""
