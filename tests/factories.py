import factory
from django.contrib.auth import get_user_model

from core import services as core_services
from core.models import ApiKey
from incidents import services
from incidents.models import CustomField, CustomFieldOption, FieldType, Incident, IncidentRole


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


class ApiKeyFactory(factory.Factory):
    """An API key issued through ``core_services.create_api_key``, as every caller issues them:
    ``ApiKeyFactory(roles=["viewer", "incident_creator"])``. The token is shown once, so
    the factory keeps it on the key it returns (``key.token``)."""

    class Meta:
        model = ApiKey

    name = factory.Sequence(lambda n: f"Key {n}")
    roles = ("viewer",)
    actor = None

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("API keys are issued through the service layer: create them, do not build them")

    @classmethod
    def _create(cls, model_class, *args, roles, **kwargs):
        key, token = core_services.create_api_key(roles=list(roles), **kwargs)
        key.token = token
        return key


def affected_services_option() -> CustomFieldOption:
    """The "API" option of the "Affected services" multi-select field, created through the
    services the first time it is asked for."""
    field = CustomField.objects.filter(name="Affected services").first() or services.create_custom_field(
        actor=None, name="Affected services", description="What the incident touches", field_type=FieldType.MULTI_SELECT
    )
    return field.options.filter(value="API").first() or services.create_custom_field_option(
        actor=None, custom_field=field, value="API"
    )


class IncidentFactory(factory.Factory):
    """An incident declared through ``services.declare_incident``, as every caller declares
    them; any of its keyword arguments may be given. ``with_roles=True`` gives the lead role
    to a new user; ``with_custom_fields=True`` sets "Affected services" to "API" (see
    ``affected_services_option``; ``with_custom_fields__option=`` picks another option):

        IncidentFactory.create_batch(30, with_roles=True, with_custom_fields=True)
    """

    class Meta:
        model = Incident

    name = factory.Sequence(lambda n: f"Incident {n}")
    actor = None

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("Incidents are declared through the service layer: create them, do not build them")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.declare_incident(**kwargs)

    @factory.post_generation
    def with_roles(incident, create, extracted, **kwargs):
        if extracted:
            lead = IncidentRole.objects.get(role_type="lead")
            services.assign_role(incident=incident, role=lead, assignee=UserFactory(), actor=None)

    @factory.post_generation
    def with_custom_fields(incident, create, extracted, option=None, **kwargs):
        if extracted:
            option = option or affected_services_option()
            set_field_values(incident, option.custom_field, [services.FieldValue(option=option)])


def declare(name="Something is broken", actor=None, **kwargs):
    """Declare through the service layer, as every caller does."""
    return services.declare_incident(actor=actor, name=name, **kwargs)


def api_key(roles=("viewer",), name="Test key"):
    """An API key and its token."""
    key = ApiKeyFactory(roles=roles, name=name)
    return key, key.token


def set_field_values(incident, field, values, actor=None):
    """Set one custom field's values (``services.FieldValue``s) on an incident, checked by
    the service layer's rules, as every caller does."""
    services.set_custom_field_value(incident=incident, values=services.clean_field_values(field, values), actor=actor)


def status_page(name="Acme status", slug="acme", *, components=(), groups=None, **fields):
    """A page through the services, with ``components`` (names) shown at its top level, or
    ``groups`` ({group name: [component names]}). Returns the page; its components are
    ``page.test_components`` ({name: Component})."""
    from statuspages import services as pages

    page = pages.save_status_page(actor=None, name=name, slug=slug, **fields)
    page.test_components = {}
    for name_ in components:
        page.test_components[name_] = pages.create_component(actor=None, name=name_, status_page=page)
    for group_name, names in (groups or {}).items():
        group = pages.save_group(actor=None, status_page=page, name=group_name)
        for name_ in names:
            page.test_components[name_] = pages.create_component(actor=None, name=name_, group=group)
    return page
