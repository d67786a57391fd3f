"""Incident templates render their {{ variables }} and nothing else."""

from statuspages.api.cachet.templates import render


def test_variables_and_dotted_variables_are_replaced():
    text = "{{ service }} is down ({{incident.name}}, {{ incident.status }})"
    variables = {"service": "Checkout", "incident": {"name": "Payments failing", "status": "Investigating"}}
    assert render(text, variables) == "Checkout is down (Payments failing, Investigating)"


def test_unknown_variables_print_nothing_as_twig_does():
    assert render("[{{ missing }}] [{{ incident.missing }}]", {"incident": {}}) == "[] []"


def test_expressions_are_never_evaluated():
    text = "{{ 7*7 }} {{ x|upper }} {{ ''.__class__ }} {% if x %}kept{% endif %}"
    assert render(text, {"x": "y"}) == "   {% if x %}kept{% endif %}"


def test_values_print_as_twig_prints_them():
    assert render("{{ a }}|{{ b }}|{{ c }}|{{ n }}|{{ d }}", {"a": True, "b": False, "c": None, "n": 3, "d": {"k": 1}}) == "1|||3|"


def test_list_variables_are_positional():
    assert render("{{ 0 }} then {{ 1 }}", {"0": "first", "1": "second"}) == "first then second"
