"""What every staff screen here shares: a service's refusal shown as a form error or as
an error message, never as a server error."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from core.exceptions import DomainError


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
