"""A response sent as an e-mail and printed: the mail's header fields ("Från:",
"Skickat:", "Ämne:") are its heading block, its subject is its title, and the earlier
message it quotes below the signature (the auditors' cover letter, with their dates) is
not part of it.
"""

from __future__ import annotations

import re

# Header fields as Outlook and other clients print them, in Swedish and English.
FIELD = re.compile(
    r"^(?:från|skickat|till|kopia|hemlig\s+kopia|ämne|datum|bifogat|bilagor?"
    r"|from|sent|to|cc|bcc|subject|date|attachments)\s*:",
    re.I,
)
SUBJECT = re.compile(r"^(?:ämne|subject)\s*:\s*((?:(?:sv|vb|re|fw|fwd)\s*:\s*)*)", re.I)
_SENDER = re.compile(r"^(?:från|from)\s*:", re.I)
_SENT = re.compile(r"^(?:skickat|datum|sent|date)\s*:", re.I)
# "-----Ursprungligt meddelande-----", "---------- Forwarded message ---------"
_SEPARATOR = re.compile(
    r"^-{2,}\s*(?:ursprungligt\s+meddelande|vidarebefordrat\s+meddelande|original\s+message"
    r"|forwarded\s+message)\s*-{2,}$",
    re.I,
)


def subject_line(lines: list[str], within: int = 10) -> int | None:
    """The line of the mail's subject, when the document opens with a mail header."""
    return next((i for i, text in enumerate(lines[:within]) if SUBJECT.match(text)), None)


def subject(text: str) -> str:
    """A subject line's words without the field name and the "SV:"/"VB:" of replies
    and forwards; any other text as it is."""
    m = SUBJECT.match(text)
    return text[m.end() :].strip() if m else text


def quoted_message(lines: list[str], start: int) -> int | None:
    """The first line of an earlier message quoted below line `start` (a separator
    line, or a sender field with the date field right below it), if there is one."""
    for i in range(start + 1, len(lines)):
        if _SEPARATOR.match(lines[i]):
            return i
        if _SENDER.match(lines[i]) and any(_SENT.match(text) for text in lines[i + 1 : i + 3]):
            return i
    return None
