"""Train/dev/test splits by document: a document's passages never straddle two splits, and the
same seed gives the same split on any machine, in any order of export."""

import hashlib

SPLIT_NAMES = ("train", "dev", "test")


def parse_split(text: str) -> tuple[int, int, int]:
    """ "80/10/10" -> (80, 10, 10); three whole numbers that add up to 100."""
    parts = text.split("/")
    try:
        shares = tuple(int(part) for part in parts)
    except ValueError:
        shares = ()
    if len(shares) != 3 or any(share < 0 for share in shares) or sum(shares) != 100:
        raise ValueError(f'a split is three whole numbers adding up to 100, like 80/10/10, not "{text}"')
    return shares


def split_of(document_id: str, shares: tuple[int, int, int], seed: int = 0) -> str:
    """The split a document belongs to: a hash of the seed and the document's own id, read as
    a fraction, against the cumulative shares."""
    digest = hashlib.sha256(f"{seed}\x1f{document_id}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    bound = 0.0
    for name, share in zip(SPLIT_NAMES, shares, strict=False):
        bound += share / 100
        if fraction < bound:
            return name
    return SPLIT_NAMES[-1]


SEEDS_TRIED = 20  # other seeds looked at for one that gives every split a document


def check_split(document_ids: list[str], shares: tuple[int, int, int], seed: int = 0) -> None:
    """Refuse (ValueError) a split that leaves a split with a share but no document, saying
    which, how the documents fall, and what would work instead: a seed that gives every split
    a document, or fewer splits when there are fewer documents than splits. Nothing to split
    (no document) is no reason to refuse."""
    sizes = split_sizes(document_ids, shares, seed)
    empty = [name for name, share in zip(SPLIT_NAMES, shares, strict=False) if share and not sizes[name]]
    if document_ids and empty:
        falls = ", ".join(
            f"{name} gets {sizes[name]}" for name, share in zip(SPLIT_NAMES, shares, strict=False) if share
        )
        raise ValueError(
            f"the split {_shares_text(shares)} (seed {seed}) leaves {' and '.join(empty)} empty: of the "
            f"{_documents(len(document_ids))} with lines in this export, {falls} (a document's passages "
            f"stay in one split); {_what_would_work(document_ids, shares, seed, empty)}"
        )


def split_sizes(document_ids: list[str], shares: tuple[int, int, int], seed: int = 0) -> dict[str, int]:
    """How many of the documents each split gets."""
    sizes = dict.fromkeys(SPLIT_NAMES, 0)
    for document_id in document_ids:
        sizes[split_of(document_id, shares, seed)] += 1
    return sizes


def _what_would_work(document_ids: list[str], shares: tuple[int, int, int], seed: int, empty: list[str]) -> str:
    splits = sum(1 for share in shares if share)
    if len(document_ids) == 1:
        return "one document cannot be split: export without a split"
    if len(document_ids) < splits:
        fewer = (max(shares), 100 - max(shares), 0)
        found = _filling_seed(document_ids, fewer, exclude=None)
        with_seed = f" (seed {found})" if found is not None else ""
        documents = _documents(len(document_ids))
        return f"{documents} cannot fill {splits} splits: use two, like {_shares_text(fewer)}{with_seed}"
    found = _filling_seed(document_ids, shares, exclude=seed)
    if found is not None:
        return f"seed {found} gives every split at least one document"
    return (
        f"no seed from 0 to {SEEDS_TRIED - 1} gives every split a document: give {' and '.join(empty)} a larger "
        f"share, or use fewer splits (a share of 0 leaves a split out)"
    )


def _filling_seed(document_ids: list[str], shares: tuple[int, int, int], exclude: int | None) -> int | None:
    """The first seed from 0 on that gives every split with a share a document."""
    for seed in range(SEEDS_TRIED):
        sizes = split_sizes(document_ids, shares, seed)
        if seed != exclude and all(sizes[name] for name, share in zip(SPLIT_NAMES, shares, strict=False) if share):
            return seed
    return None


def _shares_text(shares: tuple[int, int, int]) -> str:
    return "/".join(map(str, shares))


def _documents(count: int) -> str:
    return "one document" if count == 1 else f"{count} documents"
