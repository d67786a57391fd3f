"""Cachet's views, one module per group of resources (its controllers)."""
