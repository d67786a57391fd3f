"""Signing in to the admin through the company's OpenID Connect provider, with
mozilla-django-oidc (docs/sign-in.md says why that library):

- ``discovery``: the provider's endpoints, read from its discovery document;
- ``backends``: the provider's backend (authorization code with PKCE, the ID token's
  signature, issuer and audience checked) and the password backend that
  ``ADMIN_PASSWORD_LOGIN`` narrows to superusers or turns off;
- ``views``: the two steps of the flow, off (404) while ``OIDC_ISSUER`` is empty.

Who may sign in, and into which staff group, is core.services.sign_in's rule.
"""
