"""The splitter on long and hostile input: every script, one enormous paragraph, page furniture
by the thousand. (Speed is shown by bench/split_bench.py, not timed here.)"""

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

import annotator.splitting.sentences as sentences
from annotator.splitting import split_document
from tests.splitting.test_split_document import assert_spans_hold_texts

SENTENCES = {
    "Chinese": "第{n}次会议决定提高公共交通的服务质量，居民们表示支持。专家认为，这个问题非常重要！",
    "Arabic": "قررت الحكومة في الاجتماع رقم {n} تحسين النقل العام، ورحب السكان بالقرار. هل يكفي ذلك؟ ",
    "Russian": (
        "На заседании № {n} совет решил улучшить общественный транспорт, и жители это поддержали. Почему сейчас? "
    ),
    "emoji and accents": "Réunion n° {n} : le conseil a voté 😀 la hausse des tarifs, déjà contestée. Ça ira? ",
}


def prose(template: str, characters: int) -> str:
    """One paragraph of numbered sentences (numbered, so that no passage repeats another)."""
    parts, size, number = [], 0, 0
    while size < characters:
        parts.append(template.format(n=number))
        size += len(parts[-1])
        number += 1
    return "".join(parts)


@pytest.mark.parametrize("script", SENTENCES)
def test_a_paragraph_longer_than_the_segmenter_window_splits_as_if_read_whole(script, monkeypatch):
    raw = prose(SENTENCES[script], 3 * sentences.SEGMENT_WINDOW)
    passages = split_document(raw)
    assert_spans_hold_texts(raw, passages)
    assert all(len(p.text) <= 600 for p in passages)
    assert "".join(raw[p.start : p.end] for p in passages).replace(" ", "") == raw.replace(" ", "")
    monkeypatch.setattr(sentences, "SEGMENT_WINDOW", 10 * len(raw))
    assert split_document(raw) == passages


def test_memory_for_one_long_paragraph_stays_a_small_multiple_of_its_text():
    """The segmenter was handed the whole paragraph at once, with buffers of 18 bytes per byte
    of it (and BlingFire's own, as many again): 6,000,000 Chinese characters took 680 MB."""
    raw = prose(SENTENCES["Chinese"], 250_000)
    tracemalloc.start()
    try:
        split_document(raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 12 * len(raw.encode())


def test_punctuation_without_words_is_cut_into_passages_of_furniture():
    raw = "=" * 1500 + "\n\n" + "! ? . " * 300
    passages = split_document(raw)
    assert_spans_hold_texts(raw, passages)
    assert all(len(p.text) <= 600 and p.excluded_reason == "boilerplate" for p in passages)
    assert "".join(raw[p.start : p.end] for p in passages).replace(" ", "").replace("\n", "") == raw.replace(
        " ", ""
    ).replace("\n", "")


def test_thousands_of_loose_lines_beside_furniture_are_furniture():
    """Short list items and loose lines alternate; the last touches a footer, so the whole list
    belongs to it, and the paragraph above it (a sentence) does not."""
    lines = ["The harbour board published its list of moorings and berths for the coming year. " * 2]
    for number in range(3000):
        lines += [f"- item {number}", f"Label {number}"]
    raw = "\n".join(lines + ["Back To Top"])
    passages = split_document(raw)
    assert [p.excluded_reason for p in passages] == [None, "boilerplate"]
    assert passages[1].start == raw.index("- item 0")


def test_a_passage_repeating_two_earlier_ones_equally_points_at_the_first_in_every_process():
    """Which earlier passage a partial repeat points at must not depend on the process's
    string hashing: a re-import, or the next worker process, would point elsewhere."""
    first = " ".join(f"alpha{n}" for n in range(30)) + "."
    second = " ".join(f"beta{n}" for n in range(30)) + "."
    raw = f"{first}\n\n{second}\n\n{first[:-1]} {second}"
    program = (
        "import sys; from annotator.splitting import split_document; print(split_document(sys.argv[1])[2].duplicate_of)"
    )
    root = Path(__file__).resolve().parents[2]
    answers = {
        subprocess.run(
            [sys.executable, "-c", program, raw],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout.strip()
        for seed in range(1, 9)
    }
    assert answers == {"0"}


@pytest.mark.parametrize(
    "text",
    [
        prose(SENTENCES["Chinese"], 5_000),
        "他说：「今天下雨。明天晴。」然后走了。真的吗？是的！好。",
        "日本語の文です。二つ目の文！三つ目？\n最後の文。",
        "混合 text。English after a full stop. 再来一句。。。还有？！",
    ],
)
def test_full_width_sentence_ends_give_the_sentences_blingfire_finds_in_the_text_as_given(text):
    """Chinese and Japanese sentences follow one another without a space; the segmenter is
    shown one after each full-width full stop to keep it linear and fast, which must not
    change a single sentence it finds."""
    spans = sentences.sentence_spans(text)
    assert spans == sentences._segment_as_given(text)
    assert all(text[start:end] == text[start:end].strip() for start, end in spans)
