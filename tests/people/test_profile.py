"""Editing one's own profile and photo, through real HTTP."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from bascule.adoption.models import Event, EventKind
from bascule.people.actions import person_depart
from bascule.people.models import Language, Person

EDIT = reverse("people:profile_edit")
PHOTO = reverse("people:photo_upload")


def profile_events(person) -> int:
    return Event.objects.filter(person=person, kind=EventKind.PROFILE_UPDATE).count()


def form_data(person, **changes) -> dict:
    """What the edit form posts when nothing is touched, with ``changes``."""
    data = {
        "display_name": person.display_name,
        "title": person.title,
        "bio": person.bio,
        "phone": person.phone,
        "skills": ", ".join(t.name for t in person.skills.all()),
        "interests": ", ".join(t.name for t in person.interests.all()),
        "languages": [language.pk for language in person.languages.all()],
    }
    data.update(changes)
    return data


@pytest.fixture
def french(db):
    return Language.objects.create(code="fr", name="French")


def test_it_saves_what_a_person_says_about_themself(login, alice, french):
    client = login(alice)
    response = client.post(
        EDIT,
        form_data(
            alice,
            title="Key account manager",
            bio="I help customers in the Rhône valley.",
            skills="Negotiation, Excel, negotiation",
            interests="Running",
            languages=[french.pk],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == alice.get_absolute_url()
    alice = Person.objects.get(pk=alice.pk)
    assert alice.title == "Key account manager"
    assert alice.bio == "I help customers in the Rhône valley."
    assert sorted(t.name for t in alice.skills.all()) == ["Excel", "Negotiation"]
    assert [t.name for t in alice.interests.all()] == ["Running"]
    assert list(alice.languages.all()) == [french]
    assert profile_events(alice) == 1
    assert "Your profile is saved." in client.get(response["Location"]).text
    # The directory finds her by her new skill.
    assert "Alice Martin" in client.get(reverse("people:directory"), {"q": "excel"}).text


def test_changing_only_the_title_is_saved(login, alice):
    login(alice).post(EDIT, form_data(alice, title="Head of accounts"))
    assert Person.objects.get(pk=alice.pk).title == "Head of accounts"
    assert profile_events(alice) == 1


def test_nothing_changed_records_nothing(login, alice):
    client = login(alice)
    response = client.post(EDIT, form_data(alice))
    assert response.status_code == 302
    assert profile_events(alice) == 0
    assert "Nothing changed." in client.get(response["Location"]).text


def test_it_edits_only_the_signed_in_person(login, alice, bob):
    # There is no address to edit someone else: /people/me/edit/ is always oneself.
    login(bob).post(EDIT, form_data(bob, title="Changed by Bob", display_name="Bob B."))
    assert Person.objects.get(pk=alice.pk).title == "Account manager"
    assert Person.objects.get(pk=bob.pk).title == "Changed by Bob"
    assert profile_events(alice) == 0


def test_hr_attributes_cannot_be_changed_here(login, alice, org):
    login(alice).post(EDIT, form_data(alice, department=org["it"].pk, site=org["paris"].pk, title="x"))
    alice = Person.objects.get(pk=alice.pk)
    assert (alice.department, alice.site) == (org["sales"], org["lyon"])


def test_an_anonymous_visitor_is_sent_to_log_in(client, alice):
    response = client.post(EDIT, form_data(alice, title="Anonymous"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Person.objects.get(pk=alice.pk).title == "Account manager"


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"display_name": "   "}, "This field is required."),
        ({"bio": "x" * 1001}, "Ensure this value has at most 1000 characters"),
        ({"skills": ", ".join(f"skill {n}" for n in range(21))}, "At most 20 tags, please."),
        ({"interests": "y" * 81}, "A tag has at most 80 characters."),
        ({"title": "t" * 201}, "Ensure this value has at most 200 characters"),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(login, alice, changes, error):
    client = login(alice)
    response = client.post(EDIT, form_data(alice, **({"title": "Should not be saved"} | changes)))
    assert response.status_code == 200
    assert error in response.text
    stored = Person.objects.get(pk=alice.pk)
    assert stored.title == "Account manager" and stored.display_name == "Alice Martin"
    assert not stored.skills.exists()
    assert profile_events(alice) == 0
    # The top bar still shows the stored name, not what was typed.
    assert '<span class="usermenu-name">Alice Martin</span>' in response.text


def test_markup_is_shown_as_text(login, alice, bob):
    login(alice).post(EDIT, form_data(alice, bio='<script>alert("x")</script>', display_name="<b>Alice</b>"))
    response = Client()
    response.force_login(bob.user)
    page = response.get(alice.get_absolute_url()).text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<b>Alice</b>" not in page


def test_the_edit_page_shows_completeness(login, alice):
    response = login(alice).get(EDIT)
    assert response.status_code == 200
    completeness = response.context["completeness"]
    # alice has a title, a site, a department and a manager: 4 of 10.
    assert completeness.percent == 40
    assert "Your profile is 40 % complete." in response.text
    for label in ("a photo", "a few words about you", "your skills"):
        assert label in response.text
    assert "your job title" not in response.text


# Photos.


def png_bytes(size=(600, 300), colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_it_saves_a_photo_as_a_square_jpeg(login, alice, bob, client):
    response = login(alice).post(PHOTO, {"photo": upload("me.png", png_bytes())})
    assert response.status_code == 302
    alice = Person.objects.get(pk=alice.pk)
    assert alice.photo
    assert profile_events(alice) == 1

    colleague = Client()
    colleague.force_login(bob.user)
    served = colleague.get(reverse("people:photo", args=[alice.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert (image.format, image.size) == ("JPEG", (400, 400))
    assert served["Content-Security-Policy"] == "default-src 'none'"

    anonymous = Client().get(reverse("people:photo", args=[alice.pk]))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


def test_a_new_photo_replaces_the_old_file(login, alice, django_capture_on_commit_callbacks):
    client = login(alice)
    client.post(PHOTO, {"photo": upload("one.png", png_bytes())})
    first = Person.objects.get(pk=alice.pk).photo
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PHOTO, {"photo": upload("two.png", png_bytes(colour=(0, 0, 200)))})
    second = Person.objects.get(pk=alice.pk).photo
    assert second.name != first.name
    assert not first.storage.exists(first.name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PHOTO, {"remove": "1"})
    assert not Person.objects.get(pk=alice.pk).photo
    assert not second.storage.exists(second.name)


def test_a_text_file_named_png_is_refused(login, alice):
    response = login(alice).post(PHOTO, {"photo": upload("evil.png", b"#!/bin/sh\necho not an image\n")})
    assert response.status_code == 400
    assert "Upload a valid image" in response.text
    assert not Person.objects.get(pk=alice.pk).photo
    assert profile_events(alice) == 0


def test_an_oversized_photo_is_refused(login, alice, settings):
    settings.BASCULE_MAX_UPLOAD_BYTES = 1000
    # Noise makes the PNG incompressible, hence larger than the limit.
    noisy = io.BytesIO()
    Image.effect_noise((300, 300), 80).convert("RGB").save(noisy, format="PNG")
    content = noisy.getvalue()
    assert len(content) > 1000
    response = login(alice).post(PHOTO, {"photo": upload("big.png", content)})
    assert response.status_code == 400
    assert "the limit is 1000" in response.text
    assert not Person.objects.get(pk=alice.pk).photo


def test_a_person_without_a_photo_has_none_served(login, alice, bob):
    assert login(bob).get(reverse("people:photo", args=[alice.pk])).status_code == 404


# People who left.


def test_departed_people_leave_the_directory_but_keep_their_profile(login, alice, bob):
    person_depart(person=bob, on=bob.created_at.date())
    client = login(alice)
    directory = client.get(reverse("people:directory"))
    assert "Bob Bernard" not in directory.text
    profile = client.get(bob.get_absolute_url())
    assert profile.status_code == 200
    assert "Has left the organisation" in profile.text
    # Nor are they listed among their manager's direct reports.
    assert bob not in client.get(alice.get_absolute_url()).context["reports"]
