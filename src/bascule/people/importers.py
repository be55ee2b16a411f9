"""HR import of people from a CSV file: parsing, validation and the bulk loader.

The file is read whole, every row is validated in Python against dictionaries of what the
database already holds, and only then is anything written, with bulk statements, in one
transaction. A single rejected row means nothing is applied: an HR file is a snapshot of
the organisation, and half of a snapshot is worse than none.

Line numbers are physical lines of the file (the header is line 1), so that a person can
open the file in an editor and go straight to the line.
"""

import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import available_timezones

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bascule.search.index import index_rebuild
from bascule.search.models import DocumentKind

from .models import (
    BusinessUnit,
    Country,
    Department,
    Language,
    LegalEntity,
    Person,
    Site,
    Tag,
    User,
    fold,
)

BATCH_SIZE = 2000

# The canonical header, in the order documented for HR teams.
CANONICAL_COLUMNS = (
    "external_id",
    "email",
    "first_name",
    "last_name",
    "display_name",
    "title",
    "department",
    "business_unit",
    "legal_entity",
    "country",
    "site",
    "languages",
    "manager_external_id",
    "start_date",
)
# Columns we read beyond the canonical ones (Workplace exports carry them).
EXTRA_COLUMNS = ("manager_email", "timezone")

# Header names of common HR exports (folded, separators as "_") → our column.
# Workplace: email, first name, last name, job title, department, location, locale,
# manager email, timezone, external id, organization, division, cost center, start date.
ALIASES = {
    "e_mail": "email",
    "mail": "email",
    "email_address": "email",
    "e_mail_address": "email",
    "work_email": "email",
    "courriel": "email",
    "employee_id": "external_id",
    "employee_number": "external_id",
    "employee_no": "external_id",
    "matricule": "external_id",
    "id": "external_id",
    "firstname": "first_name",
    "given_name": "first_name",
    "prenom": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "nom": "last_name",
    "name": "display_name",
    "full_name": "display_name",
    "job_title": "title",
    "position": "title",
    "fonction": "title",
    "poste": "title",
    "service": "department",
    "division": "business_unit",
    "organization": "legal_entity",
    "organisation": "legal_entity",
    "company": "legal_entity",
    "societe": "legal_entity",
    "pays": "country",
    "location": "site",
    "office": "site",
    "locale": "languages",
    "language": "languages",
    "langues": "languages",
    "manager_id": "manager_external_id",
    "manager_employee_id": "manager_external_id",
    "manager_e_mail": "manager_email",
    "time_zone": "timezone",
    "hire_date": "start_date",
    "date_d_entree": "start_date",
}

# Two-letter ISO 3166 codes of the countries HR files most often carry, with English names.
COUNTRY_NAMES = {
    "AT": "Austria",
    "AU": "Australia",
    "BE": "Belgium",
    "BR": "Brazil",
    "CA": "Canada",
    "CH": "Switzerland",
    "CN": "China",
    "CZ": "Czechia",
    "DE": "Germany",
    "DK": "Denmark",
    "DZ": "Algeria",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GB": "United Kingdom",
    "GR": "Greece",
    "HU": "Hungary",
    "IE": "Ireland",
    "IN": "India",
    "IT": "Italy",
    "JP": "Japan",
    "LU": "Luxembourg",
    "MA": "Morocco",
    "MX": "Mexico",
    "NL": "Netherlands",
    "NO": "Norway",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "SE": "Sweden",
    "SG": "Singapore",
    "SN": "Senegal",
    "TN": "Tunisia",
    "TR": "Turkey",
    "US": "United States",
}

# ISO 639-1 codes of common languages, with English names (the interface translates).
LANGUAGE_NAMES = {
    "ar": "Arabic",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hu": "Hungarian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "zh": "Chinese",
}

MAX_LENGTHS = {
    "external_id": 100,
    "email": 254,
    "first_name": 150,
    "last_name": 150,
    "display_name": 200,
    "title": 200,
}
UNIT_MODELS = {
    "department": Department,
    "business_unit": BusinessUnit,
    "legal_entity": LegalEntity,
    "site": Site,
}
# Person fields a row may set directly (the others go through units and relations).
PLAIN_FIELDS = ("external_id", "first_name", "last_name", "display_name", "title", "start_date", "timezone")
SEARCHED_FIELDS = frozenset({"display_name", "first_name", "last_name", "title"})

_LANGUAGE_CODE = re.compile(r"^([a-z]{2,3})(?:[_-][a-z0-9]+)*$")
_LANGUAGE_SEPARATORS = re.compile(r"[,;|/\s]+")
_HEADER_SEPARATORS = re.compile(r"[\s_\-.]+")
_email_validator = EmailValidator()


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing was imported. The message is for people."""


@dataclass
class ImportReport:
    """What an import did, or would have done; shown by the command and the admin page."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False
    rows: int = 0

    def summary(self) -> str:
        if self.dry_run:
            return _("Dry run: nothing was changed. This is what the import would do.")
        if self.rejected:
            return ngettext(
                "Nothing was applied: %(count)d row was rejected. Fix it and import the file again.",
                "Nothing was applied: %(count)d rows were rejected. Fix them and import the file again.",
                len(self.rejected),
            ) % {"count": len(self.rejected)}
        return _("Import applied.")

    def counts(self) -> list[tuple[str, int]]:
        return [
            (_("Rows read"), self.rows),
            (_("Created"), self.created),
            (_("Updated"), self.updated),
            (_("Unchanged"), self.unchanged),
            (_("Deactivated"), self.deactivated),
            (_("Rejected"), len(self.rejected)),
        ]

    def lines(self) -> list[str]:
        """The report as lines of text, rejected rows last with their line numbers."""
        lines = [self.summary()]
        lines += [f"{label}: {value}" for label, value in self.counts()]
        lines += [_("Line %(line)d: %(reason)s") % {"line": line, "reason": reason} for line, reason in self.rejected]
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


# ---------------------------------------------------------------------------------------
# Reading the file


def _header_key(name: str) -> str:
    return _HEADER_SEPARATORS.sub("_", fold(name).strip()).strip("_")


def read_table(data: bytes) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """The columns we know (name → index) and the data rows with their first line number.

    Raises ImportFileError for anything that makes the whole file unreadable.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(_("The file is in UTF-16. Save it as “CSV UTF-8” and import it again."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFileError(
            _("The file is not UTF-8 text (line %(line)d). Save it as “CSV UTF-8” and import it again.")
            % {"line": line}
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise ImportFileError(_("The file contains binary data: it is not a CSV file."))
    if not text.strip():
        raise ImportFileError(_("The file is empty."))

    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    header_line = 0
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_line = cells, start
            else:
                rows.append((start, cells))
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not a valid CSV file (line %(line)d: %(error)s).")
            % {"line": reader.line_num, "error": error}
        ) from None

    columns: dict[str, int] = {}
    known = set(CANONICAL_COLUMNS) | set(EXTRA_COLUMNS)
    for index, name in enumerate(header or []):
        key = _header_key(name)
        key = ALIASES.get(key, key)
        if key in known and key not in columns:
            columns[key] = index
    if "email" not in columns:
        raise ImportFileError(
            _(
                "Line %(line)d should be a header with at least an “email” column. "
                "The known columns are: %(columns)s."
            )
            % {"line": header_line or 1, "columns": ", ".join(CANONICAL_COLUMNS)}
        )
    return columns, rows


# ---------------------------------------------------------------------------------------
# Cleaning values


def _clean_spaces(value: str) -> str:
    return " ".join(value.split())


def parse_date(value: str) -> date | None:
    """YYYY-MM-DD, DD/MM/YYYY or an ISO datetime (its date); None when not a date."""
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def language_code(token: str) -> str | None:
    """"fr", "fr_FR", "fr-FR" or "French" → "fr"; None when it is none of those."""
    token = token.strip().lower()
    match = _LANGUAGE_CODE.match(token)
    if match:
        return match.group(1)
    for code, name in LANGUAGE_NAMES.items():
        if name.lower() == token:
            return code
    return None


_timezones: set[str] | None = None


def _valid_timezone(name: str) -> bool:
    global _timezones
    if _timezones is None:
        _timezones = available_timezones()
    return name in _timezones


# ---------------------------------------------------------------------------------------
# Organisation units


class UnitBook:
    """Departments, sites, … by folded name: the existing ones and those the file adds."""

    def __init__(self, model):
        self.model = model
        self.pk_by_key: dict[str, int] = {}
        self.key_by_pk: dict[int, str] = {}
        self.country_by_key: dict[str, int | None] = {}
        self.new: dict[str, dict] = {}
        has_country = model in (Site, LegalEntity)
        fields = ("pk", "name", "country_id") if has_country else ("pk", "name")
        for row in model.objects.values_list(*fields):
            key = fold(row[1])
            self.pk_by_key[key] = row[0]
            self.key_by_pk[row[0]] = key
            if has_country:
                self.country_by_key[key] = row[2]
        # Existing units whose country the file fills in: key → country key.
        self.country_fill: dict[str, str] = {}

    def resolve(self, name: str, country_key: str | None = None) -> str:
        name = _clean_spaces(name)[:200]
        key = fold(name)
        if key in self.pk_by_key:
            if country_key and self.country_by_key.get(key, 0) is None:
                self.country_fill.setdefault(key, country_key)
        elif key not in self.new:
            self.new[key] = {"name": name, "country": country_key}
        elif country_key and not self.new[key]["country"]:
            self.new[key]["country"] = country_key
        return key


class CountryBook:
    """Countries by folded name, found by ISO code or by name."""

    def __init__(self):
        self.pk_by_key: dict[str, int] = {}
        self.key_by_pk: dict[int, str] = {}
        self.key_by_code: dict[str, str] = {}
        self.new: dict[str, dict] = {}
        for pk, name, code in Country.objects.values_list("pk", "name", "code"):
            key = fold(name)
            self.pk_by_key[key] = pk
            self.key_by_pk[pk] = key
            if code:
                self.key_by_code.setdefault(code.upper(), key)
        self.code_by_name = {fold(name): code for code, name in COUNTRY_NAMES.items()}

    def resolve(self, value: str) -> str:
        value = _clean_spaces(value)[:200]
        if len(value) == 2 and value.isalpha():
            code = value.upper()
            if code in self.key_by_code:
                return self.key_by_code[code]
            name = COUNTRY_NAMES.get(code, code)
        else:
            name = value
            code = self.code_by_name.get(fold(value), "")
            if code and code in self.key_by_code and fold(value) not in self.pk_by_key:
                return self.key_by_code[code]
        key = fold(name)
        if key not in self.pk_by_key and key not in self.new:
            self.new[key] = {"name": name, "code": code}
            if code:
                self.key_by_code.setdefault(code, key)
        return key


# ---------------------------------------------------------------------------------------
# Planning: what each row would do


@dataclass(slots=True)
class RowPlan:
    line: int
    email: str
    external_id: str | None
    reasons: list[str]
    values: dict  # field → value, only for the columns the file has
    languages: list[str] | None = None  # codes; None when the file has no languages column
    manager_ref: tuple[str, str] | None = None  # ("external_id" | "email", value)
    manager_given: bool = False  # the file has a manager column
    person_pk: int | None = None  # the existing person this row updates
    user_pk: int | None = None  # the existing account this row uses
    manager_target: tuple[str, int] | None = None  # ("row", index) or ("person", pk)
    changed: list[str] = field(default_factory=list)
    user_changes: dict = field(default_factory=dict)
    languages_changed: bool = False
    default_display_name: str = ""  # for a new person when the file has no display_name
    created: bool = False  # set by the loader once the person exists


@dataclass
class Existing:
    """What the database holds, loaded once, as plain tuples in dictionaries."""

    people: dict[int, dict]
    pk_by_external_id: dict[str, int]
    pk_by_user: dict[int, int]
    user_by_email: dict[str, int]
    user_active: dict[int, bool]
    user_email: dict[int, str]
    languages_by_person: dict[int, set[int]]

    @classmethod
    def load(cls) -> "Existing":
        fields = (
            "pk",
            "user_id",
            "external_id",
            "first_name",
            "last_name",
            "display_name",
            "title",
            "department_id",
            "business_unit_id",
            "legal_entity_id",
            "country_id",
            "site_id",
            "manager_id",
            "start_date",
            "departed_on",
            "timezone",
        )
        people = {row[0]: dict(zip(fields, row)) for row in Person.objects.values_list(*fields)}
        users = list(User.objects.values_list("pk", "email", "is_active"))
        languages: dict[int, set[int]] = {}
        for person_id, language_id in Person.languages.through.objects.values_list("person_id", "language_id"):
            languages.setdefault(person_id, set()).add(language_id)
        return cls(
            people=people,
            pk_by_external_id={p["external_id"]: pk for pk, p in people.items() if p["external_id"]},
            pk_by_user={p["user_id"]: pk for pk, p in people.items()},
            user_by_email={email.lower(): pk for pk, email, _active in users},
            user_active={pk: active for pk, _email, active in users},
            user_email={pk: email for pk, email, _active in users},
            languages_by_person=languages,
        )


class Plan:
    """Every row validated and compared with the database; ``apply`` writes it."""

    def __init__(self, *, columns, rows, deactivate_missing: bool, today: date):
        self.columns = columns
        self.deactivate_missing = deactivate_missing
        self.today = today
        self.existing = Existing.load()
        self.units = {name: UnitBook(model) for name, model in UNIT_MODELS.items()}
        self.countries = CountryBook()
        self.language_pk_by_code = dict(Language.objects.values_list("code", "pk"))
        self.new_languages: dict[str, str] = {}
        self.rows: list[RowPlan] = [self._clean(line, cells) for line, cells in rows]
        self._match()
        self._resolve_managers()
        self._compare()
        self.to_deactivate = self._missing() if deactivate_missing else []
        self.report = ImportReport(rows=len(self.rows), deactivated=len(self.to_deactivate))
        for row in self.rows:
            if row.reasons:
                self.report.rejected.append((row.line, "; ".join(row.reasons)))
            elif row.person_pk is None:
                self.report.created += 1
            elif row.changed or row.user_changes or row.languages_changed:
                self.report.updated += 1
            else:
                self.report.unchanged += 1

    # -- cleaning ---------------------------------------------------------------------

    def _clean(self, line: int, cells: list[str]) -> RowPlan:
        columns = self.columns
        width = len(cells)

        def cell(name: str) -> str:
            index = columns[name]
            return cells[index].strip() if index < width else ""

        reasons: list[str] = []
        values: dict = {}
        email = cell("email").lower()
        if not email:
            reasons.append(_("e-mail address missing"))
        else:
            try:
                _email_validator(email)
            except ValidationError:
                reasons.append(_("bad e-mail address “%(value)s”") % {"value": email})
            if len(email) > MAX_LENGTHS["email"]:
                reasons.append(_("e-mail address longer than %(max)d characters") % {"max": MAX_LENGTHS["email"]})
        # An empty external id never clears the one a person has: it may come from SSO.
        external_id = cell("external_id") if "external_id" in columns else ""
        if external_id:
            values["external_id"] = external_id
        for name in ("external_id", "first_name", "last_name", "display_name", "title"):
            if name not in columns:
                continue
            value = external_id if name == "external_id" else _clean_spaces(cell(name))
            if len(value) > MAX_LENGTHS[name]:
                reasons.append(
                    _("%(column)s longer than %(max)d characters") % {"column": name, "max": MAX_LENGTHS[name]}
                )
            if name != "external_id":
                values[name] = value
        full_name = " ".join(v for v in (values.get("first_name"), values.get("last_name")) if v)
        default_display_name = ""
        if "display_name" in columns:
            # An empty display name means "first last"; with neither, the person keeps theirs.
            values["display_name"] = values["display_name"] or full_name
            if not values["display_name"]:
                del values["display_name"]
        else:
            # Without the column (Workplace), new people get "first last" and existing
            # people keep the name they chose.
            default_display_name = full_name
        country_key = None
        if "country" in columns:
            value = cell("country")
            country_key = self.countries.resolve(value) if value else None
            values["country"] = country_key
        for name, book in self.units.items():
            if name in columns:
                value = cell(name)
                values[name] = book.resolve(value, country_key) if value else None
        if "start_date" in columns:
            value = cell("start_date")
            if value:
                parsed = parse_date(value)
                if parsed is None:
                    reasons.append(_("bad date “%(value)s” (use YYYY-MM-DD or DD/MM/YYYY)") % {"value": value})
                values["start_date"] = parsed
            else:
                values["start_date"] = None
        if "timezone" in columns:
            value = cell("timezone")
            if value and not _valid_timezone(value):
                reasons.append(_("unknown time zone “%(value)s”") % {"value": value})
            values["timezone"] = value
        languages = None
        if "languages" in columns:
            languages = []
            for token in _LANGUAGE_SEPARATORS.split(cell("languages")):
                if not token:
                    continue
                code = language_code(token)
                if code is None:
                    reasons.append(_("unknown language “%(value)s”") % {"value": token})
                elif code not in languages:
                    languages.append(code)
                    if code not in self.language_pk_by_code:
                        self.new_languages.setdefault(code, LANGUAGE_NAMES.get(code, code))
        manager_ref = None
        manager_given = "manager_external_id" in columns or "manager_email" in columns
        if "manager_external_id" in columns and cell("manager_external_id"):
            manager_ref = ("external_id", cell("manager_external_id"))
        elif "manager_email" in columns and cell("manager_email"):
            manager_ref = ("email", cell("manager_email").lower())
        return RowPlan(
            line=line,
            email=email,
            external_id=external_id or None,
            reasons=reasons,
            values=values,
            languages=languages,
            manager_ref=manager_ref,
            manager_given=manager_given,
            default_display_name=default_display_name,
        )

    # -- matching rows with people ----------------------------------------------------

    def _match(self) -> None:
        existing = self.existing
        self.row_by_external_id: dict[str, int] = {}
        self.row_by_email: dict[str, int] = {}
        row_by_person: dict[int, int] = {}
        for index, row in enumerate(self.rows):
            if row.external_id:
                first = self.row_by_external_id.setdefault(row.external_id, index)
                if first != index:
                    row.reasons.append(
                        _("duplicate external id “%(value)s” (already on line %(line)d)")
                        % {"value": row.external_id, "line": self.rows[first].line}
                    )
            if row.email:
                first = self.row_by_email.setdefault(row.email, index)
                if first != index:
                    row.reasons.append(
                        _("duplicate e-mail address “%(value)s” (already on line %(line)d)")
                        % {"value": row.email, "line": self.rows[first].line}
                    )
            by_external_id = existing.pk_by_external_id.get(row.external_id) if row.external_id else None
            user_pk = existing.user_by_email.get(row.email)
            by_email = existing.pk_by_user.get(user_pk) if user_pk else None
            if by_external_id and by_email and by_external_id != by_email:
                row.reasons.append(
                    _(
                        "external id “%(external_id)s” and e-mail address “%(email)s” belong to "
                        "two different people (%(first)s and %(second)s)"
                    )
                    % {
                        "external_id": row.external_id,
                        "email": row.email,
                        "first": existing.people[by_external_id]["display_name"],
                        "second": existing.people[by_email]["display_name"],
                    }
                )
                continue
            if by_external_id and user_pk and not by_email:
                row.reasons.append(
                    _("e-mail address “%(email)s” is already used by another account") % {"email": row.email}
                )
                continue
            if by_email and not by_external_id and row.external_id:
                other = existing.people[by_email]["external_id"]
                if other:
                    row.reasons.append(
                        _("e-mail address “%(email)s” belongs to the person with external id “%(other)s”")
                        % {"email": row.email, "other": other}
                    )
                    continue
            row.person_pk = by_external_id or by_email
            row.user_pk = existing.people[row.person_pk]["user_id"] if row.person_pk else user_pk
            if row.person_pk:
                first = row_by_person.setdefault(row.person_pk, index)
                if first != index:
                    row.reasons.append(
                        _("same person as line %(line)d") % {"line": self.rows[first].line}
                    )
        self.row_by_person = row_by_person

    # -- managers ---------------------------------------------------------------------

    def _node_for_person(self, pk: int) -> tuple[str, int]:
        index = self.row_by_person.get(pk)
        return ("row", index) if index is not None else ("person", pk)

    def _resolve_managers(self) -> None:
        existing = self.existing
        for row in self.rows:
            if row.manager_ref is None:
                continue
            kind, value = row.manager_ref
            if kind == "external_id":
                index = self.row_by_external_id.get(value)
                pk = existing.pk_by_external_id.get(value)
            else:
                index = self.row_by_email.get(value)
                user_pk = existing.user_by_email.get(value)
                pk = existing.pk_by_user.get(user_pk) if user_pk else None
            if index is not None:
                row.manager_target = ("row", index)
            elif pk is not None:
                row.manager_target = self._node_for_person(pk)
            else:
                row.reasons.append(_("unknown manager “%(value)s”") % {"value": value})
        self._reject_cycles()

    def _manager_of(self, node: tuple[str, int]) -> tuple[str, int] | None:
        kind, key = node
        if kind == "row":
            row = self.rows[key]
            if row.manager_given:
                return row.manager_target
            if row.person_pk is None:
                return None
            key = row.person_pk
        manager_pk = self.existing.people[key]["manager_id"]
        return self._node_for_person(manager_pk) if manager_pk else None

    def _node_name(self, node: tuple[str, int]) -> str:
        kind, key = node
        if kind == "row":
            row = self.rows[key]
            return row.external_id or row.email
        person = self.existing.people[key]
        return person["external_id"] or person["display_name"]

    def _reject_cycles(self) -> None:
        """Reject every row in a management cycle (A manages B manages A, or oneself)."""
        done: set[tuple[str, int]] = set()
        for index in range(len(self.rows)):
            node = ("row", index)
            path: list[tuple[str, int]] = []
            on_path: dict[tuple[str, int], int] = {}
            while node is not None and node not in done and node not in on_path:
                on_path[node] = len(path)
                path.append(node)
                node = self._manager_of(node)
            if node is not None and node in on_path:
                cycle = path[on_path[node] :]
                names = " → ".join(self._node_name(n) for n in cycle + cycle[:1])
                for kind, key in cycle:
                    if kind == "row":
                        self.rows[key].reasons.append(_("manager cycle: %(cycle)s") % {"cycle": names})
            done.update(path)

    # -- comparing with the database --------------------------------------------------

    def _compare(self) -> None:
        existing = self.existing
        countries = self.countries
        for row in self.rows:
            if row.reasons:
                continue
            if row.person_pk is None:
                continue
            person = existing.people[row.person_pk]
            changed = row.changed
            for name, value in row.values.items():
                if name in PLAIN_FIELDS:
                    if person[name] != value:
                        changed.append(name)
                else:
                    book = countries if name == "country" else self.units[name]
                    current = person[f"{name}_id"]
                    if (book.key_by_pk.get(current) if current else None) != value:
                        changed.append(name)
            if row.manager_given:
                target = row.manager_target
                if target is None:
                    wanted = None
                elif target[0] == "person":
                    wanted = target[1]
                else:
                    wanted = self.rows[target[1]].person_pk or "new"
                if person["manager_id"] != wanted:
                    changed.append("manager")
            if row.languages is not None:
                current = existing.languages_by_person.get(row.person_pk, set())
                wanted_pks = {self.language_pk_by_code.get(code) for code in row.languages}
                row.languages_changed = wanted_pks != current
            if existing.user_email[row.user_pk].lower() != row.email:
                row.user_changes["email"] = row.email
            if self.deactivate_missing and person["departed_on"] is not None:
                # The file lists everyone who is here: someone in it is back.
                changed.append("departed_on")
                row.values["departed_on"] = None
                row.user_changes["is_active"] = True

    def _missing(self) -> list[int]:
        """People with an external id who are not in the file and have not left."""
        return [
            pk
            for pk, person in self.existing.people.items()
            if person["external_id"] and person["departed_on"] is None and pk not in self.row_by_person
        ]

    # -- writing ------------------------------------------------------------------------

    def apply(self) -> None:
        """Write the plan with bulk statements; the caller holds the transaction."""
        now = timezone.now()
        country_pk = self._create_countries()
        unit_pk = {name: self._create_units(name, book, country_pk) for name, book in self.units.items()}
        country_pk_of = lambda key: country_pk[key] if key else None  # noqa: E731
        self._create_languages()

        def fk_values(row: RowPlan) -> dict:
            result = {}
            for name, value in row.values.items():
                if name in PLAIN_FIELDS or name == "departed_on":
                    result[name] = value
                elif name == "country":
                    result["country_id"] = country_pk_of(value)
                else:
                    result[f"{name}_id"] = unit_pk[name][value] if value else None
            return result

        # Accounts first: people point to them.
        new_rows = [row for row in self.rows if row.person_pk is None]
        new_accounts = [row for row in new_rows if row.user_pk is None]
        insert_rows(
            User,
            [
                {
                    "email": row.email,
                    # Unusable: people set a password with "Forgot password".
                    "password": UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
                    "is_active": True,
                    "date_joined": now,
                }
                for row in new_accounts
            ],
        )
        user_pks = pks_by(User, "email", [row.email for row in new_accounts])
        for row in new_accounts:
            row.user_pk = user_pks[row.email]

        # New people, managers before the people they manage, so that every manager has
        # a primary key when its reports are created and no second pass is needed for them.
        person_pk_of_row: dict[int, int] = {}
        for level in self._levels():
            people = []
            for index in level:
                row = self.rows[index]
                values = fk_values(row)
                values.update(user_id=row.user_pk, created_at=now, updated_at=now)
                if not values.get("display_name"):
                    values["display_name"] = row.default_display_name or row.email.split("@")[0]
                values["manager_id"] = self._manager_pk(row, person_pk_of_row)
                # The model's own rule, applied to plain values (new people have no tags).
                names = {name: values.get(name, "") for name in SEARCHED_FIELDS}
                values["search_text"] = Person.compute_search_text(SimpleNamespace(**names))
                people.append(values)
            insert_rows(Person, people)
            person_pks = pks_by(Person, "user_id", [values["user_id"] for values in people])
            for index, values in zip(level, people):
                row = self.rows[index]
                row.person_pk = person_pk_of_row[index] = person_pks[values["user_id"]]
                row.created = True

        # Changed people and accounts, grouped by the fields that change.
        self._update_people(person_pk_of_row, fk_values, now)
        self._update_users()
        self._set_languages()
        self._deactivate(now)
        # Found by search under their new names and titles, in this same transaction.
        index_rebuild(
            kinds=[DocumentKind.PERSON], ids=[row.person_pk for row in self.rows if row.created or row.changed]
        )

    def _create_countries(self) -> dict[str, int]:
        created = [Country(name=spec["name"], code=spec["code"]) for spec in self.countries.new.values()]
        Country.objects.bulk_create(created, batch_size=BATCH_SIZE)
        pk_by_key = dict(self.countries.pk_by_key)
        pk_by_key.update({fold(country.name): country.pk for country in created})
        return pk_by_key

    def _create_units(self, name: str, book: UnitBook, country_pk: dict[str, int]) -> dict[str, int]:
        model = book.model
        has_country = model in (Site, LegalEntity)
        created = []
        for spec in book.new.values():
            unit = model(name=spec["name"])
            if has_country and spec["country"]:
                unit.country_id = country_pk[spec["country"]]
            created.append(unit)
        model.objects.bulk_create(created, batch_size=BATCH_SIZE)
        pk_by_key = dict(book.pk_by_key)
        pk_by_key.update({fold(unit.name): unit.pk for unit in created})
        if has_country and book.country_fill:
            filled = [
                model(pk=pk_by_key[key], country_id=country_pk[country]) for key, country in book.country_fill.items()
            ]
            model.objects.bulk_update(filled, ["country"], batch_size=BATCH_SIZE)
        return pk_by_key

    def _create_languages(self) -> None:
        created = [Language(code=code, name=name) for code, name in self.new_languages.items()]
        Language.objects.bulk_create(created, batch_size=BATCH_SIZE)
        self.language_pk_by_code.update({language.code: language.pk for language in created})

    def _levels(self) -> list[list[int]]:
        """Indexes of new rows by depth: a row's manager, when new, is at a lower depth."""
        depth: dict[int, int] = {}
        new_indexes = [index for index, row in enumerate(self.rows) if row.person_pk is None]
        is_new = set(new_indexes)

        for start in new_indexes:
            chain = []
            index = start
            while index not in depth:
                chain.append(index)
                target = self.rows[index].manager_target
                if target is None or target[0] != "row" or target[1] not in is_new:
                    depth[index] = 0
                    chain.pop()
                    break
                index = target[1]
            base = depth[index]
            for offset, member in enumerate(reversed(chain), start=1):
                depth[member] = base + offset
        levels: dict[int, list[int]] = {}
        for index in new_indexes:
            levels.setdefault(depth[index], []).append(index)
        return [levels[d] for d in sorted(levels)]

    def _manager_pk(self, row: RowPlan, person_pk_of_row: dict[int, int]) -> int | None:
        target = row.manager_target
        if target is None:
            return None
        if target[0] == "person":
            return target[1]
        manager_row = self.rows[target[1]]
        return manager_row.person_pk or person_pk_of_row[target[1]]

    def _update_people(self, person_pk_of_row, fk_values, now) -> None:
        groups: dict[tuple[str, ...], list[Person]] = {}
        searched: list[tuple[Person, int]] = []
        for index, row in enumerate(self.rows):
            if not row.changed or index in person_pk_of_row:
                continue
            current = self.existing.people[row.person_pk]
            values = fk_values(row)
            person = Person(pk=row.person_pk)
            fields = []
            for name in row.changed:
                if name == "manager":
                    person.manager_id = self._manager_pk(row, person_pk_of_row)
                elif name in PLAIN_FIELDS or name == "departed_on":
                    setattr(person, name, values[name])
                else:
                    setattr(person, f"{name}_id", values[f"{name}_id"])
                fields.append(name)
            if SEARCHED_FIELDS.intersection(fields):
                for name in SEARCHED_FIELDS:
                    if name not in fields:
                        setattr(person, name, current[name])
                searched.append((person, row.person_pk))
                fields.append("search_text")
            person.updated_at = now
            fields.append("updated_at")
            groups.setdefault(tuple(sorted(fields)), []).append(person)
        if searched:
            tags = self._tags_of([pk for _person, pk in searched])
            for person, pk in searched:
                skills, interests = tags.get(pk, ([], []))
                person.search_text = person.compute_search_text(skills, interests)
        for fields, people in groups.items():
            Person.objects.bulk_update(people, list(fields), batch_size=BATCH_SIZE)

    def _tags_of(self, person_pks: list[int]) -> dict[int, tuple[list[Tag], list[Tag]]]:
        result: dict[int, tuple[list[Tag], list[Tag]]] = {}
        for position, relation in enumerate((Person.skills.through, Person.interests.through)):
            for start in range(0, len(person_pks), BATCH_SIZE):
                chunk = person_pks[start : start + BATCH_SIZE]
                for person_id, name in relation.objects.filter(person_id__in=chunk).values_list(
                    "person_id", "tag__name"
                ):
                    result.setdefault(person_id, ([], []))[position].append(Tag(name=name))
        return result

    def _update_users(self) -> None:
        groups: dict[tuple[str, ...], list[User]] = {}
        for row in self.rows:
            if row.user_changes:
                user = User(pk=row.user_pk, **row.user_changes)
                groups.setdefault(tuple(sorted(row.user_changes)), []).append(user)
        for fields, users in groups.items():
            User.objects.bulk_update(users, list(fields), batch_size=BATCH_SIZE)

    def _set_languages(self) -> None:
        through = Person.languages.through
        replaced = [row.person_pk for row in self.rows if row.languages_changed]
        for start in range(0, len(replaced), BATCH_SIZE):
            through.objects.filter(person_id__in=replaced[start : start + BATCH_SIZE]).delete()
        links = [
            {"person_id": row.person_pk, "language_id": self.language_pk_by_code[code]}
            for row in self.rows
            if row.languages and (row.languages_changed or row.created)
            for code in row.languages
        ]
        insert_rows(through, links)

    def _deactivate(self, now) -> None:
        pks = self.to_deactivate
        user_pks = [self.existing.people[pk]["user_id"] for pk in pks]
        for start in range(0, len(pks), BATCH_SIZE):
            Person.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).update(
                departed_on=self.today, updated_at=now
            )
            User.objects.filter(pk__in=user_pks[start : start + BATCH_SIZE]).update(is_active=False)


def insert_rows(model, rows: list[dict]) -> None:
    """Insert ``rows`` (attribute name → value; missing ones take the field's default).

    bulk_create compiles every value of every object through the ORM, which cost about
    three quarters of a 100,000-people import; building the multi-row INSERT here does the
    same work several times faster. Only dates and datetimes need converting for
    the database; every other value is passed as is.
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    head = "INSERT INTO %s (%s) VALUES " % (
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
    )
    row_placeholders = "(%s)" % ", ".join(["%s"] * len(fields))
    # Several rows per statement: one round trip per batch on PostgreSQL, where
    # executemany would send a statement per row. Both SQLite (32,766) and PostgreSQL
    # (65,535) accept this many parameters.
    per_statement = max(1, min(BATCH_SIZE, 30_000 // len(fields)))
    template = []
    for f in fields:
        default = f.get_default() if f.has_default() or not f.null else None
        converts = isinstance(f, (models.DateField, models.DateTimeField))
        template.append((f.attname, default, f if converts else None))
    params = []
    for row in rows:
        for attname, default, converter in template:
            value = row.get(attname, default)
            if converter is not None and value is not None:
                value = converter.get_db_prep_value(value, connection)
            params.append(value)
    width = len(fields)
    if connection.vendor == "postgresql":
        # COPY is PostgreSQL's bulk path: no SQL to parse, several times faster again.
        columns = ", ".join(quote(f.column) for f in fields)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for start in range(0, len(params), width):
                    copy.write_row(params[start : start + width])
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            count = min(per_statement, len(rows) - start)
            cursor.execute(
                head + ", ".join([row_placeholders] * count),
                params[start * width : (start + count) * width],
            )


def pks_by(model, attname: str, keys: list) -> dict:
    """Primary keys of the rows whose unique ``attname`` is in ``keys``, by key."""
    result = {}
    for start in range(0, len(keys), BATCH_SIZE):
        chunk = keys[start : start + BATCH_SIZE]
        result.update(model.objects.filter(**{f"{attname}__in": chunk}).values_list(attname, "pk"))
    return result


def people_import(
    *, data: bytes, dry_run: bool = False, deactivate_missing: bool = False, today: date | None = None
) -> ImportReport:
    """Import people from the bytes of a CSV file; the whole file applies, or nothing.

    Raises ImportFileError when the file cannot be read at all. Rows that cannot be
    imported are listed in the report with their line number and reason, and then
    nothing is applied. A dry run validates and counts, and never writes.
    """
    columns, rows = read_table(data)
    today = today or timezone.localdate()
    if dry_run:
        plan = Plan(columns=columns, rows=rows, deactivate_missing=deactivate_missing, today=today)
        plan.report.dry_run = True
        return plan.report
    with transaction.atomic():
        # Reading inside the transaction: nobody changes people between the check and the write.
        plan = Plan(columns=columns, rows=rows, deactivate_missing=deactivate_missing, today=today)
        if not plan.report.rejected:
            plan.apply()
            plan.report.applied = True
    return plan.report
