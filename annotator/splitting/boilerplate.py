"""Recognising page furniture: menus, share bars, bylines, cookie notices, running headers, footers.

Boilerplate stays in the document as passages (offsets intact, for audit) but is not offered
for annotation; document titles pass over it too. Line-level rules catch what sits on a line
of its own; `annotator.splitting.paragraphs` catches runs of short list items and links that
make up navigation.
"""

import re

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})"
    rf"(?:,?\s+(?:at\s+)?\d{{1,2}}:\d{{2}}(?:\s*[ap]\.?m\.?)?)?"
)
_AGO = r"(?:(?:about|almost|over|nearly|just)\s+)?(?:\d+|an?|one)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago"
_COMMENTS = r"(?:\d+|no|one)\s+(?:comments?|responses?|replies)"
_SOCIAL = (
    r"(?:share(?:\s+(?:on|this|via))?:?|tweet|facebook|twitter|x|pinterest|whatsapp|telegram"
    r"|skype|e-?mail|mail|linkedin|reddit|tumblr|print|pocket|vk|vkontakte|viber|messenger"
    r"|instagram|youtube|tiktok|flipboard|digg|stumbleupon|google\+?|threads|bluesky|mastodon"
    r"|copy\s+link|rss)"
)
_NAVIGATION = (
    r"back\s+to\s+top|top\s+of\s+page|skip\s+to(?:\s+main)?\s+content|scroll\s+to\s+top"
    r"|(?:newer|older|previous|next)\s+(?:posts?|entries|entry|articles?|page|stor(?:y|ies))"
    r"|recent\s+(?:posts|comments|articles|stories)|popular\s+(?:posts|articles|stories)"
    r"|(?:read|see|show|load|view)\s+(?:more|all)(?:\s+\w+)?|continue\s+reading|more\s+stories"
    r"|related\s+(?:posts|articles|stories|content)|you\s+(?:may|might)\s+also\s+like"
    r"|leave\s+a\s+(?:comment|reply)|post\s+a\s+comment|comments?\s+(?:are\s+)?closed|reply"
    r"|(?:sign|log)\s*(?:in|up|out)|register|subscribe(?:\s+now)?|follow\s+us(?:\s+on\s+.{1,40})?"
    r"|share\s+this(?:\s+(?:article|story|post|page))?|print\s+(?:this\s+)?(?:article|page)"
    r"|e-?mail\s+this(?:\s+(?:article|story|page))?|search(?:\s+for)?|menu|home|main\s+menu|navigation"
    r"|tags?:.*|categor(?:y|ies):.*|filed\s+under:.*|posted\s+in:?.*|powered\s+by\s+.{1,60}"
    r"|privacy(?:\s+policy)?|terms\s+(?:of\s+(?:use|service)|and\s+conditions)|cookie\s+(?:policy|settings)"
    r"|contact(?:\s+us)?|about(?:\s+us)?|advertisement|advertise(?:\s+with\s+us)?|sponsored(?:\s+content)?"
    r"|(?:please\s+)?click\s+here.{0,60}|page\s+\d+(?:\s+of\s+\d+)?|\d+\s+of\s+\d+"
    r"|please\s+publish\s+modules\s+in\s+offcanvas\s+position"
    r"|(?:subscribe|sign\s+up|get|join)\b.{0,60}\b(?:newsletter|inbox|mailing\s+list)\b.{0,40}"
    r"|(?:accept|allow|reject)(?:\s+all)?(?:\s+cookies)?|manage\s+(?:cookie\s+)?(?:settings|preferences|options)"
    r"|cookie\s+(?:preferences|consent)"
)
# An image or attachment left behind by HTML extraction: "slide1.jpg", "IMG_2031.JPG".
_FILE_NAME = (
    r"[\w()~+-]+(?:\.[\w-]+)*\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|heic|pdf|docx?|xlsx?|pptx?|odt|rtf|zip"
    r"|mp[34]|mov|avi|wav)"
)
_BOILERPLATE_LINE = re.compile(
    rf"""^(?:
        (?:(?:posted|published|updated)(?:\s+on)?:?\s*)?{_DATE}(?:\s*[|·•,–-]?\s*{_COMMENTS})?
      | {_COMMENTS}
      | {_AGO}

      | (?:{_SOCIAL}[\s|·•,/]*){{2,}}
      | {_SOCIAL}
      | [-–—]?\s*\d{{1,4}}\s*[-–—]?
      | (?:{_NAVIGATION})
      | {_FILE_NAME}
    )[\s.:!»›>→|…-]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Bylines ("Posted by NAME | DATE") and lines ending in a comment count: checked on the
# line's ends only, as one more alternative of the pattern above costs every line.
_BYLINE = re.compile(r"(?:posted|published|written|updated)\s+(?:by|on|in)\b", re.IGNORECASE)
_ENDS_WITH_COMMENT_COUNT = re.compile(rf"[|·•,]\s*{_COMMENTS}[\s.]*$", re.IGNORECASE)
# "By Jane Smith", "BY JANE SMITH and Tom Lee, Transport Editor", "By Jane Smith | 3 March 2026":
# capitalised names after "By", then at most a role or a date. Case matters: "By 2030, ..." and
# "By the end of the year" open sentences.
_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
_BY_NAME = re.compile(rf"^(?:By|BY):?\s+{_NAME}(?:\s*(?:,|and|&)\s+{_NAME}){{0,2}}(?:\s*[|·•–—]\s*.{{1,60}})?$")
# Cookie notices run longer than other furniture, but always open the same way.
_COOKIE_NOTICE = re.compile(
    r"(?:we|this\s+(?:web)?site|our\s+(?:web)?site)\s+uses?\s+cookies\b|by\s+(?:continuing|using|clicking)\b.{0,80}\bcookies\b",
    re.IGNORECASE,
)
MAX_COOKIE_NOTICE = 400
# Menus and breadcrumbs on one line ("Home / News / Opinion", "Home > News"), and running
# headers of printed pages ("Harbour News · Issue 14 · Page 3", "NEWSLETTER | Spring 2026").
_MENU_SEPARATOR = re.compile(r"\s+[/|·•]\s+|\s*[>»›→]\s*")
_MENU_ENTRY = re.compile(r"[^\W\d_][\w'’&+-]*(?:\s[\w'’&+-]+){0,2}")
_BREADCRUMB_STARTS = ("home", "start", "front page", "you are here: home", "you are here")
MIN_MENU_LINE_ENTRIES = 3
_HEADER_SEPARATOR = re.compile(r"\s+[|·•–—]\s+")
_ISSUE = re.compile(
    rf"(?:page|p\.)\s*\d+(?:\s+of\s+\d+)?|(?:issue|no\.|number|vol\.?|volume|edition)\s*\d+"
    rf"|(?:spring|summer|autumn|fall|winter)\s+\d{{4}}|{_MONTH}\s+\d{{4}}",
    re.IGNORECASE,
)
MAX_HEADER_PARTS = 4
_SEPARATOR = re.compile(r"[/|·•>»›→–—]")  # most lines have none: they skip both checks
MAX_BOILERPLATE_LINE = 160
# Menus, dates, share bars and navigation phrases are short; longer lines skip that pattern.
MAX_FURNITURE_LINE = 90
_FOOTER_STARTS = ("©", "(c)", "copyright", "http://", "https://", "www.")

BULLETS = "•◦▪▫‣⁃●○■□·*–—-"
_BULLET = re.compile(rf"^(?:[{BULLETS}]|\d{{1,2}}[.)])\s+(?=\S)")
TERMINAL = ".!?…:;"
CLOSERS = "\"'”’»)]*"

MENU_ITEM_CHARS = 60
MENU_ITEM_WORDS = 8
MIN_MENU_RUN = 3
STRAY_LINE_CHARS = 50
STRAY_LINE_WORDS = 6


def is_boilerplate_line(text: str) -> bool:
    """A line that is page furniture wherever it appears (share bar, footer, date line...)."""
    length = len(text)
    if length > MAX_BOILERPLATE_LINE:
        if length > MAX_COOKIE_NOTICE:
            return False
        if _COOKIE_NOTICE.match(text) is not None:
            return True
        # A long menu on one line ends in an entry, not a full stop (prose does).
        return text[-1] not in TERMINAL and _SEPARATOR.search(text) is not None and _is_menu_line(text)
    lowered = text.lower()
    if (
        "rights reserved" in lowered
        or lowered.startswith(_FOOTER_STARTS)
        and (" " not in text or not lowered.startswith(("http", "www")))
    ):
        return True
    if _BYLINE.match(text) or _BY_NAME.match(text) or _ENDS_WITH_COMMENT_COUNT.search(text, max(0, length - 40)):
        return True
    if _COOKIE_NOTICE.match(text):
        return True
    if length > MAX_FURNITURE_LINE:
        return _SEPARATOR.search(text) is not None and _is_menu_line(text)
    if _BOILERPLATE_LINE.match(text) is not None:
        return True
    return _SEPARATOR.search(text) is not None and (_is_menu_line(text) or _is_running_header(text))


def is_title_cased(text: str) -> bool:
    """Every word of four letters or more capitalised (not in capitals), at least two of them:
    how headings, headlines and menu entries are set, and sentences are not."""
    capitalised = 0
    for word in text.split():
        if len(word) < 4:
            continue
        if not (word[0].isupper() or not word[0].isalpha()) or word.isupper():
            return False
        capitalised += word[0].isupper()
    return capitalised >= 2


def is_byline(text: str) -> bool:
    """A line naming the author ("By Jane Smith", "Posted by ... on ...")."""
    return _BYLINE.match(text) is not None or _BY_NAME.match(text) is not None


def _is_menu_line(text: str) -> bool:
    """Three or more menu entries of one to three words, or a breadcrumb trail from "Home"."""
    first, *rest = _MENU_SEPARATOR.split(text)
    if first.lower() in _BREADCRUMB_STARTS:
        return bool(rest) and all(_MENU_ENTRY.fullmatch(entry) for entry in rest)
    entries = [first, *rest]
    return len(entries) >= MIN_MENU_LINE_ENTRIES and all(_MENU_ENTRY.fullmatch(entry) for entry in entries)


def _is_running_header(text: str) -> bool:
    """A publication's name with its issue, season or page number, as printed atop each page."""
    parts = _HEADER_SEPARATOR.split(text)
    return 1 < len(parts) <= MAX_HEADER_PARTS and any(_ISSUE.fullmatch(part) for part in parts)


def bullet_marker_length(text: str) -> int:
    """Length of a list marker (`•`, `-`, `3.`) at the start of the line, 0 if none."""
    if text[0] not in BULLETS and not text[0].isdigit():
        return 0
    match = _BULLET.match(text)
    return match.end() if match else 0


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip(CLOSERS + " ")
    return bool(stripped) and stripped[-1] in TERMINAL


def is_short_item(text: str) -> bool:
    """Short enough, and not a sentence: a menu entry or a link."""
    return len(text) <= MENU_ITEM_CHARS and text.count(" ") < MENU_ITEM_WORDS and not ends_sentence(text)


def is_stray_line(text: str) -> bool:
    """A few words without punctuation: a category tag, site name or link next to furniture."""
    return len(text) <= STRAY_LINE_CHARS and text.count(" ") < STRAY_LINE_WORDS and not ends_sentence(text)
