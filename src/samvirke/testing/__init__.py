"""Test infrastructure used by the root `conftest.py`: nothing here runs in production."""
