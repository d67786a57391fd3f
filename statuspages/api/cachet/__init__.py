"""Cachet v3's API (/api/...), a thin translation layer over the status page services.

Cachet has one site: its incidents, schedules (our maintenance) and component groups are
those of the default status page (``site.site_page``). Its integer ids are our rows'
``number``; its integer statuses map onto ours in ``enums`` (one table, both ways). Reads
are public, as Cachet marks them (``security: []``); writes need an API key with the
``status_page_publisher`` role (or ``global_access``). Responses take JSON:API's shape
(``serializers.resources``), errors Laravel's (``errors``). docs/dialects/cachet.md maps
every field and lists where we differ.
"""
