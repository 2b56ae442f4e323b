"""Readback: commits and patches turned into a script a listener can follow, then spoken."""
