"""HR import of people: `bascule import people FILE.csv`."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bascule.people.importers import people_import
from bascule.people.models import Country, Language, Person, Site, User

HEADER = (
    "external_id,email,first_name,last_name,display_name,title,department,business_unit,"
    "legal_entity,country,site,languages,manager_external_id,start_date"
)


def write(tmp_path, text, name="people.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def run(path, *flags):
    """Run the command; returns (exit status, stdout, error message)."""
    out = StringIO()
    try:
        call_command("import", "people", str(path), *flags, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), ""


def snapshot():
    return (
        sorted(Person.objects.values_list("external_id", "display_name", "title", "manager_id", "departed_on")),
        sorted(User.objects.values_list("email", "is_active")),
    )


def test_it_imports_the_canonical_header(tmp_path, db):
    path = write(
        tmp_path,
        HEADER
        + "\nE2,Bob@Example.com,Bob,Bernard,,Developer,IT,Tech,Acme SAS,FR,Lyon,\"fr_FR, en\",E1,2021-03-04"
        + "\nE1,alice@example.com,Alice,Martin,Alice M.,CEO,Board,,Acme SAS,France,Paris,fr,,04/03/2019\n",
    )
    status, out, _ = run(path)
    assert status == 0
    assert "Created: 2" in out
    bob = Person.objects.select_related("user", "manager", "site__country", "country").get(external_id="E2")
    assert bob.user.email == "bob@example.com"
    assert bob.display_name == "Bob Bernard"
    assert bob.manager.display_name == "Alice M."
    assert bob.start_date == date(2021, 3, 4)
    assert bob.country.name == "France" and bob.country.code == "FR"
    assert bob.site.name == "Lyon" and bob.site.country == bob.country
    assert bob.department.name == "IT" and bob.business_unit.name == "Tech"
    assert sorted(bob.languages.values_list("code", "name")) == [("en", "English"), ("fr", "French")]
    assert bob.search_text == "bob bernard bob bernard developer"
    assert not bob.user.has_usable_password()
    assert Person.objects.get(external_id="E1").start_date == date(2019, 3, 4)
    assert Country.objects.count() == 1


def test_it_reads_workplace_exports_with_bom_and_semicolons(tmp_path, db):
    text = (
        "\ufeffemail;first name;last name;job title;department;location;locale;manager email;timezone;"
        "external id;organization;division;cost center;start date\n"
        "ann@example.com;Ann;Lee;Buyer;Purchasing;Madrid;es_ES;zoe@example.com;Europe/Madrid;W2;Acme SL;Ops;C42;"
        "2022-05-01T09:00:00\n"
        "zoe@example.com;Zoé;Roux;Head of purchasing;Purchasing;Paris;fr_FR;;Europe/Paris;W1;Acme SAS;Ops;C42;\n"
    )
    status, out, _ = run(write(tmp_path, text))
    assert status == 0, out
    ann = Person.objects.get(user__email="ann@example.com")
    assert (ann.external_id, ann.display_name, ann.title) == ("W2", "Ann Lee", "Buyer")
    assert ann.manager.user.email == "zoe@example.com"
    assert (ann.site.name, ann.legal_entity.name, ann.business_unit.name) == ("Madrid", "Acme SL", "Ops")
    assert ann.timezone == "Europe/Madrid"
    assert ann.start_date == date(2022, 5, 1)
    assert list(ann.languages.values_list("code", flat=True)) == ["es"]


def test_it_updates_by_external_id_then_email_and_counts_unchanged(tmp_path, alice, bob, carol):
    Person.objects.filter(pk=alice.pk).update(external_id="A1")
    text = (
        "external_id,email,title,manager_external_id\n"
        "A1,alice.martin@example.com,Head of sales,\n"  # by external id: the e-mail changes
        "B1,bob@example.com,Sales assistant,A1\n"  # by e-mail: gets an external id
        "N1,new@example.com,Intern,B1\n"
    )
    path = write(tmp_path, text)
    status, out, _ = run(path)
    assert status == 0, out
    assert "Created: 1" in out and "Updated: 2" in out
    alice.refresh_from_db()
    alice.user.refresh_from_db()
    assert (alice.user.email, alice.title, alice.manager_id) == ("alice.martin@example.com", "Head of sales", None)
    assert "head of sales" in alice.search_text
    bob.refresh_from_db()
    assert (bob.external_id, bob.manager_id) == ("B1", alice.pk)
    assert Person.objects.get(external_id="N1").manager_id == bob.pk
    carol.refresh_from_db()
    assert carol.departed_on is None  # not deactivated without the option

    status, out, _ = run(path)
    assert status == 0
    assert "Unchanged: 3" in out and "Updated: 0" in out and "Created: 0" in out


def test_it_rejects_an_external_id_and_email_of_two_different_people(tmp_path, alice, carol):
    Person.objects.filter(pk=alice.pk).update(external_id="A1")
    status, out, _ = run(write(tmp_path, "external_id,email\nA1,carol@example.com\n"))
    assert status == 1
    assert "Line 2:" in out and "two different people" in out


def test_it_resolves_managers_in_any_order_and_from_the_database(tmp_path, dave):
    text = "external_id,email,manager_external_id\nC,c@example.com,B\nB,b@example.com,A\nA,a@example.com,\n"
    status, _, _ = run(write(tmp_path, text))
    assert status == 0
    managers = dict(Person.objects.filter(external_id__isnull=False).values_list("external_id", "manager__external_id"))
    assert managers == {"A": None, "B": "A", "C": "B"}
    status, _, _ = run(write(tmp_path, "email,manager_email\nd@example.com,dave@example.com\n"))
    assert status == 0
    assert Person.objects.get(user__email="d@example.com").manager == dave


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("X1,bad-email,,", "Line 3: bad e-mail address “bad-email”"),
        ("X1,x@example.com,NOPE,", "Line 3: unknown manager “NOPE”"),
        ("X1,x@example.com,,31/02/2020", "Line 3: bad date “31/02/2020”"),
        ("X1,x@example.com,,tomorrow", "Line 3: bad date “tomorrow”"),
        ("X1,x@example.com,,\nX1,y@example.com,,", "Line 4: duplicate external id “X1” (already on line 3)"),
        ("X1,x@example.com,,\nX2,X@example.com,,", "Line 4: duplicate e-mail address “x@example.com” (already on line 3)"),
        ("X1,x@example.com,X1,", "Line 3: manager cycle: X1 → X1"),
    ],
)
def test_it_rejects_bad_rows_and_applies_nothing(tmp_path, alice, rows, expected):
    before = snapshot()
    path = write(tmp_path, "external_id,email,manager_external_id,start_date\nOK,ok@example.com,,\n" + rows + "\n")
    status, out, message = run(path)
    assert status == 1
    assert expected in out
    assert "Nothing was applied" in out and "Rejected: 1" in out
    assert "rejected" in message
    assert snapshot() == before


def test_it_rejects_every_row_of_a_manager_cycle(tmp_path, db):
    text = (
        "external_id,email,manager_external_id\n"
        "A,a@example.com,C\nB,b@example.com,A\nC,c@example.com,B\nD,d@example.com,A\n"
    )
    status, out, _ = run(write(tmp_path, text))
    assert status == 1
    rejected = [line for line in out.splitlines() if line.startswith("Line ")]
    assert [line.split(":")[0] for line in rejected] == ["Line 2", "Line 3", "Line 4"]
    assert all("manager cycle" in line for line in rejected)
    assert "Rejected: 3" in out
    assert Person.objects.count() == 0


def test_it_rejects_a_cycle_through_a_person_only_in_the_database(tmp_path, alice, bob):
    # alice manages bob in the database; making alice report to bob closes a loop.
    status, out, _ = run(write(tmp_path, "email,manager_email\nalice@example.com,bob@example.com\n"))
    assert status == 1
    assert "manager cycle" in out and "Bob Bernard" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Nom,Prénom\nhé\n".encode("latin-1"), "not UTF-8"),
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"external_id,first_name\nE1,Ann\n", "“email” column"),
        (b"ann@example.com,Ann\n", "“email” column"),
        (bytes(range(256)) * 4, "not UTF-8"),
        ("email\na@example.com\n".encode("utf-16"), "UTF-16"),
        (b"email\x00,name\n", "binary"),
    ],
)
def test_it_refuses_unreadable_files_with_exit_status_2(tmp_path, alice, content, message):
    before = snapshot()
    status, _, error = run(write(tmp_path, content))
    assert status == 2
    assert message in error
    assert snapshot() == before


def test_it_says_when_the_file_does_not_exist(tmp_path, db):
    status, _, error = run(tmp_path / "missing.csv")
    assert status == 2
    assert "File not found" in error


def test_it_changes_nothing_in_a_dry_run(tmp_path, alice):
    before = snapshot()
    path = write(tmp_path, "email,title\nalice@example.com,Boss\nnew@example.com,Intern\n")
    status, out, _ = run(path, "--dry-run", "--deactivate-missing")
    assert status == 0
    assert "Dry run" in out and "Created: 1" in out and "Updated: 1" in out
    assert snapshot() == before


def test_it_deactivates_people_missing_from_the_file(tmp_path, alice, bob, carol):
    Person.objects.filter(pk=alice.pk).update(external_id="A1")
    Person.objects.filter(pk=carol.pk).update(external_id="C1")
    # bob has no external id: he was not created by the HR import, so he stays.
    status, out, _ = run(write(tmp_path, "external_id,email\nA1,alice@example.com\n"), "--deactivate-missing")
    assert status == 0
    assert "Deactivated: 1" in out
    carol.refresh_from_db()
    assert carol.departed_on is not None
    assert not User.objects.get(pk=carol.user_id).is_active
    assert Person.objects.get(pk=bob.pk).departed_on is None
    # Back in the file: back in the organisation.
    status, out, _ = run(
        write(tmp_path, "external_id,email\nA1,alice@example.com\nC1,carol@example.com\n"), "--deactivate-missing"
    )
    assert status == 0 and "Updated: 1" in out
    assert Person.objects.get(pk=carol.pk).departed_on is None
    assert User.objects.get(pk=carol.user_id).is_active


def test_it_keeps_fields_of_missing_columns_and_creates_languages_once(tmp_path, alice):
    status, _, _ = run(write(tmp_path, "email,languages\nalice@example.com,fr|de-CH;xx\n"))
    assert status == 0
    alice.refresh_from_db()
    assert alice.title == "Account manager" and alice.manager is not None
    assert sorted(alice.languages.values_list("code", flat=True)) == ["de", "fr", "xx"]
    assert Language.objects.get(code="xx").name == "xx"
    assert Site.objects.filter(name__iexact="lyon").count() == 1


def test_report_lines_are_shared_by_the_command_and_the_admin(db):
    report = people_import(data=b"email\nnot-an-email\n", dry_run=True)
    assert report.rejected == [(2, "bad e-mail address “not-an-email”")]
    assert report.lines()[0].startswith("Dry run")
    assert report.lines()[-1] == "Line 2: bad e-mail address “not-an-email”"
    assert not report.applied
