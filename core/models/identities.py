"""Which staff user a person at the company's identity provider is: the provider's
``(issuer, sub)`` pair, which (unlike an email address) the provider never reuses."""

from django.conf import settings
from django.db import models


class ProviderIdentity(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_identity")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    #: the groups the provider last said this person is in, for the admin's record
    provider_groups = models.JSONField(default=list, blank=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "identity at the sign-in provider"
        verbose_name_plural = "identities at the sign-in provider"
        # Two sign-ins racing for a new person create one user, not two.
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="unique_provider_identity")]

    def __str__(self):
        return f"{self.subject} at {self.issuer}"
