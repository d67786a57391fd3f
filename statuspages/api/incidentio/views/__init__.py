"""incident.io's status page endpoints (v2), one module per group of resources."""
