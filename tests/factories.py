import factory
from django.contrib.auth import get_user_model

from incidents import services
from incidents.models import CustomField, CustomFieldOption, FieldType


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    is_staff = True


class CustomFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomField

    name = factory.Sequence(lambda n: f"Field {n}")
    description = "A custom field"
    field_type = FieldType.SINGLE_SELECT


class CustomFieldOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomFieldOption

    custom_field = factory.SubFactory(CustomFieldFactory)
    value = factory.Sequence(lambda n: f"Option {n}")
    sort_key = factory.Sequence(lambda n: n)


def declare(name="Something is broken", actor=None, **kwargs):
    """Declare through the service layer, as every caller does."""
    return services.declare_incident(actor=actor, name=name, **kwargs)


def api_key(roles=("viewer",), name="Test key"):
    """An API key and its token."""
    return services.create_api_key(actor=None, name=name, roles=list(roles))


def set_field_values(incident, field, values, actor=None):
    """Set one custom field's values (``services.FieldValue``s) on an incident, checked by
    the service layer's rules, as every caller does."""
    services.set_custom_field_value(incident=incident, values=services.clean_field_values(field, values), actor=actor)
