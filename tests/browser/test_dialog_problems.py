"""What the browser walk calls broken in a dialog, without a browser."""

from __future__ import annotations

from .frontend import DialogView, FieldView, dialog_problems


def field(name: str = "url", label: str = "Provider URL", helper: str = "Where.", **kw):
    """A field as the frontend shows it; good unless told otherwise."""
    return FieldView(name, label, helper, kw.get("translated", False), kw.get("options", []))


def test_a_good_form_has_no_problems() -> None:
    assert dialog_problems(DialogView("Add a service\nProvider URL", [field()]), form=True) == []


def test_translation_errors_and_raw_keys_in_the_text() -> None:
    view = DialogView(
        "Query\nTranslation error: MALFORMED_ARGUMENT\ncomponent.jsongate.config.step.x.title",
        [field()],
    )
    problems = dialog_problems(view, form=True)
    assert len(problems) == 2
    assert "'Translation error'" in problems[0]
    assert "'component.jsongate.config.step.x.title'" in problems[1]


def test_fields_without_label_description_or_option_labels() -> None:
    options = [{"value": "push", "text": "Push"}, {"value": "sms", "text": "sms"}]
    view = DialogView(
        "text",
        [
            field(label=""),
            field(name="api_token", label="api_token"),
            field(name="password", label="Password", helper=" "),
            field(name="channel", label="Channel", translated=True, options=options),
        ],
    )
    assert dialog_problems(view, form=True) == [
        "field 'url' has no label (shows '')",
        "field 'api_token' has no label (shows 'api_token')",
        "field 'password' has no description",
        "field 'channel': option 'sms' has no label",
    ]


def test_a_form_without_fields_and_an_empty_dialog() -> None:
    assert dialog_problems(DialogView("Title", []), form=True) == ["shows no form fields"]
    assert dialog_problems(DialogView("", []), form=False) == ["shows no text at all"]
