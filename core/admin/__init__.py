"""Staff screens of the floor (API keys) and what every app's screens share.

- ``common``: turning a service's refusal into a form error or an error message;
- ``api_keys``: issuing and rotating API keys;
- ``identities``: who signed in through the identity provider, as whom (read-only).
"""

from .api_keys import ApiKeyAdmin, ApiKeyForm
from .common import DomainErrorsAsMessages, RestrictedAdmin
from .identities import ProviderIdentityAdmin
