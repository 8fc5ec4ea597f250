"""What an annotator reads around a passage: its neighbours, and the heading of its section,
which the splitter keeps out of annotation."""

import sqlalchemy as sa

from annotator.documents.context import neighbours
from annotator.documents.models import Passage
from annotator.extensions import db

PARAGRAPHS = [
    f"Paragraph {number} of the report says the council spent {number * 12} thousand pounds on the harbour."
    for number in range(1, 7)
]


def passages_of(project) -> list[Passage]:
    return list(db.session.scalars(sa.select(Passage).where(Passage.project_id == project.id).order_by(Passage.index)))


def test_the_heading_of_a_section_is_read_above_a_passage_far_below_it(make_project, write_file, import_texts):
    project = make_project()
    raw = "Harbour Spending In 2025\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
    import_texts(project, [write_file("report.txt", raw)])
    passages = passages_of(project)
    assert (passages[0].text, passages[0].excluded_reason) == ("Harbour Spending In 2025", "heading")

    before, after = neighbours(db.session, passages[5])
    assert [p.text for p in before] == ["Harbour Spending In 2025", PARAGRAPHS[2], PARAGRAPHS[3]]
    assert [p.text for p in after] == [PARAGRAPHS[5]]


def test_a_heading_among_the_neighbours_is_not_shown_twice(make_project, write_file, import_texts):
    project = make_project()
    raw = "Harbour Spending In 2025\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
    import_texts(project, [write_file("report.txt", raw)])
    before, _ = neighbours(db.session, passages_of(project)[2])
    assert [p.text for p in before] == ["Harbour Spending In 2025", PARAGRAPHS[0]]


def test_without_a_heading_above_only_the_neighbours_are_read(make_project, write_file, import_texts):
    project = make_project()
    import_texts(project, [write_file("report.txt", "\n\n".join(PARAGRAPHS) + "\n")])
    before, _ = neighbours(db.session, passages_of(project)[4])
    assert [p.text for p in before] == PARAGRAPHS[2:4]
