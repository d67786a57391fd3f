"""What every app's models build on (ULID keys, creation and update times, the actor of a
change) and the API keys the API authenticates.

- ``base``: ULID keys, creation and update times, the actor of a change;
- ``api_keys``: API keys and incident.io's role names;
- ``restricted``: querysets that narrow their rows to what a viewer may see;
- ``identities``: which staff user a person at the sign-in provider is.
"""

from .api_keys import ApiKey, ApiRole
from .base import ActorMixin, TimestampedModel, UlidModel, new_ulid
from .identities import ProviderIdentity
from .restricted import RestrictedQuerySet, restricted
