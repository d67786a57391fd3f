"""The audit log (docs/audit-log.md): who changed what, when and from where, across every
app; django-auditlog records, this app says what, names it in incident.io's terms,
shows it in the admin, exports it and purges it."""
