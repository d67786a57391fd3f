"""Cachet's shapes: ``resources`` renders its resource objects (``Component``,
``Incident``...), ``payloads`` parses its request bodies (``CreateIncidentRequestData``...),
each named after the schema it speaks for."""
