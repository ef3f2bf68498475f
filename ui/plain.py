"""Showing a value someone else chose (a URL parameter, an uploaded cell or file name, a typed text)
as the literal text it is.

Streamlit renders the body of `st.markdown`, `st.warning`, `st.caption` and friends as Markdown
(plus its own `:color[...]`, `:material/...:` and `$...$` extensions). A value pasted into such a
string unescaped can close the sentence it sits in and open a heading, a link, or an image the
browser fetches from anywhere (OWASP: "Cross Site Scripting Prevention", output encoding for the
context). `plain_text` folds line breaks and control characters into spaces, cuts the value to a
length limit, and backslash-escapes every ASCII punctuation mark, which CommonMark defines as
rendering the mark itself.
"""

from __future__ import annotations

import re
import string
import unicodedata

__all__ = ["DEFAULT_LIMIT", "plain_text"]

DEFAULT_LIMIT = 80
"""Characters kept of a value shown inside a sentence: enough to recognise it, too few to flood a page."""

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_SPACES = re.compile(r"\s+")


def _visible(char: str) -> str:
    """Control, format and separator characters (newlines, bidi overrides, zero-width) become a space."""
    return " " if unicodedata.category(char)[0] in "CZ" else char


def plain_text(value: object, limit: int = DEFAULT_LIMIT) -> str:
    """`value` as one line of literal text for a Markdown-rendering element, at most `limit` characters
    (an ellipsis marks a cut)."""
    text = _SPACES.sub(" ", "".join(_visible(c) for c in str(value))).strip()
    if len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "…"
    return _PUNCTUATION.sub(r"\\\1", text)
