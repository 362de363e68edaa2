"""Code lists of the sources: NAF, INSEE headcount bands, legal forms."""

from __future__ import annotations

import re
from functools import lru_cache

from loaders.parsing.errors import FieldError

HEADCOUNT_BANDS = frozenset(
    {"NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"}
)
COMPANY_CATEGORIES = frozenset({"PME", "ETI", "GE"})

_NAF_DOTTED = re.compile(r"\d{2}\.\d{2}[A-Z]")
_NAF_COMPACT = re.compile(r"\d{4}[A-Z]")
_LEGAL_FORM = re.compile(r"\d{4}")


@lru_cache(maxsize=1024)
def parse_naf(text: str) -> str:
    """A NAF rev. 2 code with its dot (``62.01Z``); the compact form ``6201Z`` is accepted.

    Raises:
        FieldError: not a NAF rev. 2 code.
    """
    code = text.upper()
    if _NAF_DOTTED.fullmatch(code):
        return code
    if _NAF_COMPACT.fullmatch(code):
        return f"{code[:2]}.{code[2:]}"
    raise FieldError("NAF code must look like 62.01Z")


def parse_headcount_band(text: str) -> str:
    """An INSEE headcount band code (``NN``, ``00`` … ``53``).

    Raises:
        FieldError: not a known band.
    """
    code = text.upper()
    if code not in HEADCOUNT_BANDS:
        raise FieldError("unknown INSEE headcount band")
    return code


def parse_legal_form(text: str) -> str:
    """A 4-digit legal form code (catégorie juridique).

    Raises:
        FieldError: not 4 digits.
    """
    if not _LEGAL_FORM.fullmatch(text):
        raise FieldError("legal form must be 4 digits")
    return text


def parse_category(text: str) -> str:
    """A company category: ``PME``, ``ETI`` or ``GE``.

    Raises:
        FieldError: anything else.
    """
    code = text.upper()
    if code not in COMPANY_CATEGORIES:
        raise FieldError("category must be PME, ETI or GE")
    return code
