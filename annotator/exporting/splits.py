"""Train/dev/test splits by document: a document's passages never straddle two splits, and the
same seed gives the same split on any machine, in any order of export."""

import hashlib

SPLIT_NAMES = ("train", "dev", "test")


def parse_split(text: str) -> tuple[int, int, int]:
    """"80/10/10" -> (80, 10, 10); three whole numbers that add up to 100."""
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
    for name, share in zip(SPLIT_NAMES, shares):
        bound += share / 100
        if fraction < bound:
            return name
    return SPLIT_NAMES[-1]
