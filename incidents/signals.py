"""Facts the incident domain announces, for whatever keeps a copy of its data.

Services send them after a change; receivers keep derived copies right (the API's
accelerated caches) and never change the domain. A receiver that does more than drop or
mark a copy enqueues its work on commit.
"""

from django.dispatch import Signal

#: severities, statuses, types, roles, custom fields and options, or timestamps changed
configuration_changed = Signal()

#: an incident was declared (``incident``); sent inside the declaring transaction, so a
#: receiver may record an outbox row in it and enqueue its work on commit
incident_created = Signal()
#: an incident changed (``incident``; ``previous_status_id`` and ``new_status_id``, the
#: same when the status did not change; ``message``); sent inside the changing transaction
incident_updated = Signal()

#: a follow-up was created (``follow_up``, ``actor``); sent inside the creating
#: transaction, for incident.io's ``follow_up_created`` webhook
follow_up_created = Signal()
#: a follow-up changed (``follow_up``, ``actor``, ``previous_status``); sent inside the
#: changing transaction, for incident.io's ``follow_up_updated`` webhook
follow_up_updated = Signal()

#: an action was created (``action``, ``actor``); sent inside the creating transaction,
#: for incident.io's ``action_created`` webhook
action_created = Signal()
#: an action changed (``action``, ``actor``, ``previous_status``); sent inside the
#: changing transaction, for incident.io's ``action_updated`` webhook
action_updated = Signal()
