"""The levels of measurement alpha is computed at, by name: a label schema names one per field
(annotator.schema.types), annotator.agreement.reliability computes with it. A module of its own,
without NumPy, so that reading a schema does not load the statistics."""

LEVELS = ("nominal", "ordinal", "interval")  # of fields whose answer is one option
MASI = "masi"  # of fields whose answer is a set of options
