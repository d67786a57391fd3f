"""Facts the incident domain announces, for whatever keeps a copy of its data.

Services send them after a change; receivers keep derived copies right (the API's
accelerated caches) and never change the domain. A receiver that does more than drop or
mark a copy enqueues its work on commit.
"""

from django.dispatch import Signal

#: severities, statuses, types, roles, custom fields and options, or timestamps changed
configuration_changed = Signal()
