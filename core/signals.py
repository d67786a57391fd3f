"""Facts the floor announces, for whatever keeps a copy of its data (the accelerated
caches drop a changed key's entries)."""

from django.dispatch import Signal

#: an API key changed or went away; ``token_hashes``: the hashes its tokens had
api_key_changed = Signal()
