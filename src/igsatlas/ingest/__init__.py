"""Importers, one module per source. Each parses its files into domain records; pipeline.py loads them."""
