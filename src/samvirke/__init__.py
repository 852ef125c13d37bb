"""Samvirke: a shared platform for municipalities that cooperate."""

__version__ = "0.1.0"
