from django.urls import reverse


def test_it_requires_login(client, db):
    response = client.get(reverse("people:directory"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_finds_people_by_name_ignoring_accents(login, alice, bob, carol):
    response = login(alice).get(reverse("people:directory"), {"q": "PÉTIT"})
    assert response.status_code == 200
    assert "Carol Petit" in response.text
    assert "Bob Bernard" not in response.text


def test_it_filters_by_site(login, alice, bob, carol, org):
    response = login(alice).get(reverse("people:directory"), {"site": org["paris"].pk})
    names = [p.display_name for p in response.context["page"].object_list]
    assert names == ["Carol Petit", "Dave Durand"]


def test_profile_shows_manager_chain_and_reports(login, alice, bob, dave):
    response = login(bob).get(reverse("people:profile", args=[alice.pk]))
    assert response.status_code == 200
    assert [p.pk for p in response.context["chain"]] == [dave.pk]
    assert [p.pk for p in response.context["reports"]] == [bob.pk]


def test_unknown_profile_is_404(login, alice):
    assert login(alice).get("/people/999999/").status_code == 404
