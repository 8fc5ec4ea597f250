"""A project's agreement as the database holds it: its labels and decisions read into a
LabelTable (label_table), and its figures, computed by agreement/ and kept until a label, a
decision or the schema changes (snapshot, models). A package of its own, above projects and
annotations, because agreement/ stays pure and sits below them: the label schema reads its
measured fields."""
