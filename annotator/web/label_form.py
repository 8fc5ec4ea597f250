"""Reading the label buttons of the annotate and review screens from a submitted form."""

LABEL_PREFIX = "label-"  # the name of a field's radio buttons: label-<field name>


def labels_from_form(form) -> dict[str, str]:
    """The chosen value of every field (hidden conditional fields send nothing)."""
    return {name[len(LABEL_PREFIX):]: value for name, value in form.items() if name.startswith(LABEL_PREFIX) and value}
