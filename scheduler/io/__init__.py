"""Readers and writers of user files. Nothing here imports ortools."""
