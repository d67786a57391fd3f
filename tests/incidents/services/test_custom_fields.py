"""incidents.services.custom_fields: the rules a value must meet, and values on incidents."""

import pytest

from incidents import services
from incidents.models import CustomFieldValue, FieldType
from tests.factories import CustomFieldFactory, CustomFieldOptionFactory, declare, set_field_values

pytestmark = pytest.mark.django_db


def test_custom_field_values_must_fit_their_field():
    select = CustomFieldFactory(field_type=FieldType.MULTI_SELECT)
    other = CustomFieldOptionFactory()
    own = CustomFieldOptionFactory(custom_field=select)
    numeric = CustomFieldFactory(field_type=FieldType.NUMERIC)
    link = CustomFieldFactory(field_type=FieldType.LINK)
    for field, value in [
        (select, services.FieldValue(option=other)),
        (select, services.FieldValue(text="not an option")),
        (numeric, services.FieldValue(text="lots")),
        (numeric, services.FieldValue(option=own)),
        (link, services.FieldValue(text="not a url")),
    ]:
        with pytest.raises(services.InvalidFieldValue) as exc:
            services.clean_field_values(field, [services.FieldValue(text="1"), value] if field is numeric else [value])
        assert exc.value.field == f"custom_field_entries[{field.pk}]"
        assert exc.value.index == (1 if field is numeric else 0)
    incident = declare("Fields")
    set_field_values(incident, select, [services.FieldValue(option=own), services.FieldValue(option=own)])
    set_field_values(incident, numeric, [services.FieldValue(text="1e3")])
    values = {v.custom_field_id: v for v in CustomFieldValue.objects.filter(incident=incident)}
    assert values[select.pk].value_option == own  # once, however often it was given
    assert values[numeric.pk].value_numeric == "1000"


@pytest.mark.parametrize("field_type", [FieldType.SINGLE_SELECT, FieldType.TEXT, FieldType.LINK, FieldType.NUMERIC])
def test_a_single_valued_field_refuses_two_values_as_a_whole(field_type):
    field = CustomFieldFactory(field_type=field_type)
    option = CustomFieldOptionFactory(custom_field=field)
    value = {
        FieldType.SINGLE_SELECT: services.FieldValue(option=option),
        FieldType.TEXT: services.FieldValue(text="text"),
        FieldType.LINK: services.FieldValue(text="https://example.com"),
        FieldType.NUMERIC: services.FieldValue(text="1"),
    }[field_type]
    assert len(services.clean_field_values(field, [value]).rows) == 1
    with pytest.raises(services.InvalidFieldValue) as exc:
        services.clean_field_values(field, [value, value])
    assert exc.value.index is None


def test_empty_values_clear_a_field():
    text = CustomFieldFactory(field_type=FieldType.TEXT)
    incident = declare("Clear me")
    set_field_values(incident, text, [services.FieldValue(text="Something")])
    set_field_values(incident, text, [services.FieldValue(text="   ")])
    assert not CustomFieldValue.objects.filter(incident=incident).exists()
