"""Checkly's status page API (``/v1/status-pages...``), a thin translation layer over
``statuspages.services``: Checkly's ids are GUIDs (our ULIDs shown as UUIDs), its
services are our components, a page's cards are its component groups, and its incident
severities set the status of the services an incident names. The mapping, and what
differs from Checkly, is written up in docs/dialects/checkly.md."""
