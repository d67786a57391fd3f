"""Serializers of incident.io's status page API, named after the contract's components:
``shapes`` renders records, ``payloads`` parses request bodies and query strings,
``results`` names the envelopes our own OpenAPI document describes."""
