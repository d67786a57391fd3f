"""The dialect's viewsets, one module per resource: status pages, services, incidents
(with their updates), and Checkly's own OpenAPI document."""
