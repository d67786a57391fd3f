"""Every change to the floor's own rows (API keys), and who a change is made by.

- ``actors``: a staff user or an API key, and the two columns that record one;
- ``api_keys``: issuing and rotating keys, and finding the key a token opens.
"""

from .actors import Actor, actor_fields
from .api_keys import (
    authenticate_token,
    create_api_key,
    delete_api_key,
    find_api_key,
    record_use,
    rotate_api_key,
    update_api_key,
)
