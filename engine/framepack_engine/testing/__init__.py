"""Test infrastructure that tests in both languages start (it ships no model code)."""
