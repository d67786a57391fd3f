"""Work the notifications services have recorded for a worker.

A service records the work in its own tables first (a subscriber's
``confirmation_sent_at``, delivery rows, an update still without ``notified_at``), then
sends one of these; the receivers (``notifications.receivers``) only hand it to the
broker. So the services never import the tasks that call them, and what the broker loses
the database still says (the sweep re-enqueues deliveries, fan-outs and
confirmations).

- ``confirmations_owed`` (``subscriber_ids``): subscribers owed a confirmation (or
  reminder) email, each recorded as a ``Confirmation`` outbox row; sent inside the
  transaction that recorded them (enqueued on its commit), or by the sweep.
- ``batch_owed`` (``kind``, ``update_id``, ``first_subscriber_id``, ``last_subscriber_id``):
  recorded deliveries of an update to send in one batch.
- ``fan_out_owed`` (``kind``, ``update_id``): an update whose fan-out never finished.
"""

from django.dispatch import Signal

confirmations_owed = Signal()
batch_owed = Signal()
fan_out_owed = Signal()

#: ``delivery_ids``: webhook deliveries recorded (outbox rows) and to be sent; inside a
#: transaction, enqueued once it commits; outside (the sweep), at once
webhook_deliveries_owed = Signal()
