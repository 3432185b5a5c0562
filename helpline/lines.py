"""The helplines as conf.py defines them: read, checked and formatted once.

conf.py is the one place a number lives. Everything the extension prints (the
notice, the banner, every builder's output) comes from the `HelpLine` objects
built here, so a wrong or undialable number stops the build instead of
reaching a reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, cast

import phonenumbers
from phonenumbers import PhoneNumberFormat, shortnumberinfo
from sphinx.errors import ConfigError

Kind = Literal["paid", "public", "emergency"]
KINDS: tuple[Kind, ...] = ("paid", "public", "emergency")
TEXT_FIELDS = ("name", "short_name", "purpose", "hours", "languages")
LIST_FIELDS = ("claims", "notes")
NUMBER_FIELDS = ("number", "text", "tty")
KNOWN_FIELDS = frozenset(("kind", "disclosure", *TEXT_FIELDS, *LIST_FIELDS, *NUMBER_FIELDS))
# Letters a provider prints in place of the last digits, as in 1-800-662-HELP.
TRAILING_LETTERS = re.compile(r"[A-Za-z]+$")


@dataclass(frozen=True)
class PhoneNumber:
    """A number as a reader sees it and as a phone dials it."""

    display: str
    dial: str  # E.164 for a full number ("+18889059004"), the digits for a short one ("988")

    @property
    def tel_uri(self) -> str:
        return f"tel:{self.dial}"

    @property
    def sms_uri(self) -> str:
        return f"sms:{self.dial}"


@dataclass(frozen=True)
class HelpLine:
    key: str
    name: str
    short_name: str
    kind: Kind
    purpose: str
    number: PhoneNumber
    text: PhoneNumber | None
    tty: PhoneNumber | None
    hours: str
    languages: str
    claims: tuple[str, ...]
    notes: tuple[str, ...]
    disclosure: tuple[tuple[str, str], ...]  # (heading, text) pairs

    @property
    def is_paid(self) -> bool:
        return self.kind == "paid"


class HelplineConfigError(ConfigError):
    """A helpline setting in conf.py that the extension cannot use."""


def parse_number(text: str, region: str) -> PhoneNumber:
    """Parse, validate and format a number written as its provider prints it.

    Raises ValueError with a reader-facing reason when the number is invalid
    or cannot be dialled from `region`.
    """
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"{text!r} is not a phone number ({error})") from None
    if number.extension:
        raise ValueError(f"{text!r} has an extension, which a tap-to-call link cannot dial")
    digits = phonenumbers.national_significant_number(number)
    if shortnumberinfo.is_valid_short_number_for_region(number, region):
        if text.strip() != digits:
            raise ValueError(f"{text!r}: write a short number as its digits only, e.g. {digits!r}")
        return PhoneNumber(display=digits, dial=digits)
    if not phonenumbers.is_valid_number_for_region(number, region):
        raise ValueError(f"{text!r} is not a valid, dialable number in region {region}")
    return PhoneNumber(display=_display(text, number), dial=phonenumbers.format_number(number, PhoneNumberFormat.E164))


def _display(text: str, number: phonenumbers.PhoneNumber) -> str:
    """The usual national form with dashes, "888-905-9004"; keeps a printed leading
    "1-" ("1-800-487-4889") and vanity letters ("1-800-662-HELP (4357)")."""
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    display = international.removeprefix(f"+{number.country_code} ")
    written = re.sub(r"[^0-9A-Za-z]", "", text)
    if written.startswith(str(number.country_code)) and len(written) > len(
        phonenumbers.national_significant_number(number)
    ):
        display = f"{number.country_code}-{display}"
    letters = TRAILING_LETTERS.search(written)
    if re.search(r"[A-Za-z]", written[: letters.start()] if letters else written):
        raise ValueError(f"{text!r}: vanity letters must come at the end of the number")
    if letters is None:
        return display
    # The letters take the places of the last digits; the digits follow in brackets.
    spelled = list(display)
    remaining = list(letters.group().upper())
    for index in reversed(range(len(spelled))):
        if remaining and spelled[index].isdigit():
            spelled[index] = remaining.pop()
    digits = phonenumbers.convert_alpha_characters_in_number(letters.group())
    return f"{''.join(spelled)} ({digits})"


def load_lines(settings: object, region: str, conf_file: str) -> dict[str, HelpLine]:
    """Read `helpline_lines` from conf.py; any mistake raises HelplineConfigError
    naming conf.py, the key and the line."""
    if not isinstance(settings, Mapping) or not settings:
        raise HelplineConfigError(f"{conf_file}: helpline_lines must be a non-empty dict of line name -> settings")
    return {str(key): _load_line(str(key), value, region, conf_file) for key, value in settings.items()}


def _load_line(key: str, settings: object, region: str, conf_file: str) -> HelpLine:
    where = f"{conf_file}: helpline_lines[{key!r}]"
    if not re.fullmatch(r"[a-z][a-z0-9-]*", key):
        raise HelplineConfigError(f"{where}: a line name is lowercase letters, digits and dashes")
    if not isinstance(settings, Mapping):
        raise HelplineConfigError(f"{where}: must be a dict of settings")
    unknown = sorted(set(settings) - KNOWN_FIELDS)
    if unknown:
        raise HelplineConfigError(f"{where}: unknown key(s) {unknown}; known keys: {sorted(KNOWN_FIELDS)}")

    def text(field: str, *, required: bool = False) -> str:
        value = settings.get(field, "")
        if not isinstance(value, str) or (required or field in settings) and not value.strip():
            raise HelplineConfigError(f"{where}[{field!r}]: must be a non-empty string")
        return value.strip()

    def texts(field: str) -> tuple[str, ...]:
        values = settings.get(field, ())
        if isinstance(values, str) or not isinstance(values, Sequence) or any(
            not isinstance(value, str) or not value.strip() for value in values
        ):
            raise HelplineConfigError(f"{where}[{field!r}]: must be a list of non-empty strings")
        return tuple(value.strip() for value in values)

    def number(field: str) -> PhoneNumber | None:
        if field not in settings:
            return None
        try:
            return parse_number(text(field), region)
        except ValueError as error:
            raise HelplineConfigError(f"{where}[{field!r}]: {error}") from None

    kind = settings.get("kind")
    if kind not in KINDS:
        raise HelplineConfigError(f"{where}['kind']: must be one of {list(KINDS)}, not {kind!r}")
    main_number = number("number")
    if main_number is None:
        raise HelplineConfigError(f"{where}['number']: must be set")
    disclosure = settings.get("disclosure", {})
    if not isinstance(disclosure, Mapping) or any(
        not isinstance(part, str) or not part.strip() for pair in disclosure.items() for part in pair
    ):
        raise HelplineConfigError(f"{where}['disclosure']: must be a dict of heading -> non-empty text")
    if kind == "paid" and not disclosure:
        raise HelplineConfigError(
            f"{where}['disclosure']: a paid line needs its disclosure "
            "(e.g. 'Where do calls go?' and 'Who answers?')"
        )
    name = text("name", required=True)
    return HelpLine(
        key=key,
        name=name,
        short_name=text("short_name") or name,
        kind=cast(Kind, kind),
        purpose=text("purpose", required=True),
        number=main_number,
        text=number("text"),
        tty=number("tty"),
        hours=text("hours"),
        languages=text("languages"),
        claims=texts("claims"),
        notes=texts("notes"),
        disclosure=tuple((heading.strip(), body.strip()) for heading, body in disclosure.items()),
    )


def select_lines(names: Sequence[str], lines: Mapping[str, HelpLine]) -> list[HelpLine]:
    """The lines to show, in order; ValueError names any problem.

    A paid line never stands alone: S14 wants a free public line beside it.
    """
    if not names:
        raise ValueError("choose at least one line")
    unknown = [name for name in names if name not in lines]
    if unknown:
        raise ValueError(f"unknown line name(s) {', '.join(map(repr, unknown))}; known: {', '.join(sorted(lines))}")
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ValueError(f"line name(s) given twice: {', '.join(map(repr, duplicated))}")
    chosen = [lines[name] for name in names]
    if any(line.is_paid for line in chosen) and not any(line.kind == "public" for line in chosen):
        free = ", ".join(sorted(key for key, line in lines.items() if line.kind == "public"))
        raise ValueError(f"a paid line must be shown beside a free public line; add one of: {free}")
    return chosen


def translate_lines(settings: object, translate: Callable[[str], str]) -> object:
    """`helpline_lines` with every text a reader sees passed through `translate`: each
    line's names, purpose, hours, languages, claims, notes, and disclosure headings and
    texts; never a number, a kind or a line's key. Anything not shaped as expected is
    left as it is, for `load_lines` to report."""
    if not isinstance(settings, Mapping):
        return settings
    return {key: _translate_line(line, translate) if isinstance(line, Mapping) else line
            for key, line in settings.items()}


def _translate_line(line: Mapping[str, object], translate: Callable[[str], str]) -> dict[str, object]:
    def text(value: object) -> object:
        return translate(value) if isinstance(value, str) else value

    translated = dict(line)
    for field in TEXT_FIELDS:
        if field in line:
            translated[field] = text(line[field])
    for field in LIST_FIELDS:
        values = line.get(field)
        if isinstance(values, (list, tuple)):
            translated[field] = [text(value) for value in values]
    disclosure = line.get("disclosure")
    if isinstance(disclosure, Mapping):
        translated["disclosure"] = {text(heading): text(body) for heading, body in disclosure.items()}
    return translated
