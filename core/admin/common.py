"""What every staff screen here shares: a service's refusal shown as a form error or as
an error message, never as a server error; and rows a user may not see kept out of every
screen (``RestrictedAdmin``)."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect

from core import audit as audit_log
from core.exceptions import DomainError
from core.models.restricted import restricted

audit = logging.getLogger("audit")


def _form_error(exc: DomainError) -> ValidationError:
    return ValidationError(exc.message, code=exc.code)


class DomainErrorsAsMessages:
    """A service may still refuse a change the forms could not foresee (a status deleted
    meanwhile, a rule that spans inlines). The transaction is rolled back and the refusal
    is shown as an error message instead of a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class RestrictedAdmin:
    """For the admin of a model whose rows are not all for everyone (incidents and what
    hangs off them, through ``restrict()``): ``get_queryset``, which the admin reads for
    its lists, counts, filters, search, change, history and delete pages, bulk actions
    and autocomplete, holds only the rows the user may see. A row they may not see is a
    404, as a missing one is (its existence is private too), and the attempt is written
    to the audit log."""

    def get_queryset(self, request):
        return restricted(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and from_field is None:
            self.audit_refusal(request, object_id)
        return obj

    def audit_refusal(self, request, object_id) -> None:
        """Log a request for a row that exists but is hidden from the user, and write it
        to the audit log (an entry only those who may see the row read)."""
        # A page may look its object up more than once: one refusal is one entry.
        refused = request.__dict__.setdefault("_refusals_audited", set())
        if (self.opts.label, object_id) in refused:
            return
        refused.add((self.opts.label, object_id))
        hidden = self.model._default_manager.filter(pk=object_id).first()
        if hidden is not None:
            audit_log.record_access(hidden, granted=False)
            audit.warning(
                "user %s was refused %s %s, which they may not see", request.user.get_username(), self.opts.model_name, object_id
            )

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # The admin redirects to its front page with "… with ID X doesn't exist"; a 404
        # says as little, and is what a page that never existed answers.
        raise Http404(f"No {opts.verbose_name} here")
