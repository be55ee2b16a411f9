"""Reports, the queue, hiding and restoring, the audit log — through the pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bascule import access
from bascule.moderation import actions as moderation
from bascule.moderation.models import HiddenContent, ModerationLog, Report, ReportStatus
from bascule.network import actions
from bascule.network.models import JoinPolicy, Visibility
from bascule.notify.actions import notification_send
from bascule.notify.models import NotificationKind
from bascule.search.models import DocumentKind, SearchDocument
from tests.conftest import make_person

QUEUE = "/moderation/"


def report_url(post, comment=None):
    if comment is not None:
        return reverse("moderation:report_comment", args=[post.pk, comment.pk])
    return reverse("moderation:report_post", args=[post.pk])


def act_url(act, post, comment=None):
    if comment is not None:
        return reverse("moderation:comment_act", args=[post.pk, comment.pk, act])
    return reverse("moderation:post_act", args=[post.pk, act])


def report(client, post, comment=None, reason="spam", note=""):
    return client.post(report_url(post, comment), {"reason": reason, "note": note})


# Reporting ------------------------------------------------------------------------------


def test_it_reports_a_post_into_the_queue_of_its_moderators_only(login, post, carol, alice, dave, atlas, mia):
    response = report(login(carol), post, reason="confidential", note="Prices are confidential")
    assert response.status_code == 302
    assert Report.objects.get().reason == "confidential"
    assert "Supplier prices" in login(alice).get(QUEUE).text  # manager of the space
    assert "Prices are confidential" in login(mia).get(QUEUE).text  # platform moderator
    other_manager = login(dave).get(QUEUE)  # manages another space only
    assert other_manager.status_code == 200
    assert "Supplier prices" not in other_manager.text and "Acme" not in other_manager.text


def test_a_plain_reader_has_no_queue_nor_navigation_entry(login, post, carol, alice):
    client = login(carol)
    assert client.get(QUEUE).status_code == 403
    assert client.get(reverse("moderation:log")).status_code == 403
    assert f'href="{QUEUE}"' not in client.get(reverse("network:directory")).text
    assert f'href="{QUEUE}"' in login(alice).get(reverse("network:directory")).text


def test_the_navigation_counts_open_reports(login, post, carol, alice):
    client = login(alice)
    report(login(carol), post)
    assert "1 report" in login(alice).get(reverse("network:directory")).text


def test_it_groups_reports_per_item_with_reasons(login, post, comment, carol, alice, hugo_and_ines):
    report(login(carol), post, reason="spam")
    for person in hugo_and_ines:
        report(login(person), post, reason="confidential")
    report(login(hugo_and_ines[0]), post, comment, reason="harassment")
    page = login(alice).get(QUEUE).text
    assert page.count('class="card moderation-item"') == 2
    assert "3 reports" in page and "1 report" in page
    assert "Confidential information <span class=\"muted\">× 2" in page


def test_it_refuses_to_report_what_one_cannot_see(login, carol, dave):
    secret = actions.space_create(actor=dave, name="Board", visibility=Visibility.SECRET, join_policy=JoinPolicy.INVITE)
    hidden_from_carol = actions.post_create(actor=dave, space=secret, body="Layoffs")
    client = login(carol)
    assert client.get(report_url(hidden_from_carol)).status_code == 404
    assert report(client, hidden_from_carol).status_code == 404
    with pytest.raises(PermissionDenied):
        moderation.report_create(actor=carol, post=hidden_from_carol, reason="spam")
    assert not Report.objects.exists()


def test_it_asks_for_a_reason(login, post, carol):
    response = login(carol).post(report_url(post), {"reason": "", "note": "bad"})
    assert response.status_code == 400
    assert "Choose why you report this." in response.text
    assert not Report.objects.exists()


def test_it_refuses_a_note_over_500_characters(login, post, carol):
    response = report(login(carol), post, note="x" * 501)
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_it_says_so_when_one_reports_twice(login, post, carol):
    client = login(carol)
    report(client, post)
    again = report(client, post)
    assert again.status_code == 400
    assert "You already reported this." in again.text
    assert "You already reported this." in client.get(report_url(post)).text
    assert Report.objects.count() == 1


def test_one_does_not_report_oneself(login, post, bob):
    assert login(bob).get(report_url(post)).status_code == 403
    with pytest.raises(PermissionDenied):
        moderation.report_create(actor=bob, post=post, reason="spam")


def test_posts_and_comments_offer_a_report_link(login, post, comment, alice):
    page = login(alice).get(post.get_absolute_url()).text
    assert report_url(post) in page and report_url(post, comment) in page
    assert report_url(post) in login(alice).get(post.space.get_absolute_url()).text


# Hiding ---------------------------------------------------------------------------------


def test_a_hidden_post_disappears_for_readers(login, post, alice, bob, carol):
    actions.post_create(actor=bob, space=post.space, body="Another post stays")
    notification_send(recipient=carol, kind=NotificationKind.MENTION, actor=bob, space=post.space, post=post)
    assert access.visible_notifications(carol).count() == 1
    assert SearchDocument.objects.filter(kind=DocumentKind.POST, object_id=post.pk).exists()

    response = login(alice).post(act_url("hide", post), {"reason": "confidential", "next": QUEUE})
    assert response.status_code == 302

    reader = login(carol)
    space_page = reader.get(post.space.get_absolute_url()).text
    assert "Another post stays" in space_page and "Supplier prices" not in space_page
    assert reader.get(post.get_absolute_url()).status_code == 404
    assert not SearchDocument.objects.filter(kind=DocumentKind.POST, object_id=post.pk).exists()
    assert "Supplier prices" not in reader.get(reverse("search:search"), {"q": "Acme prices"}).text
    assert access.visible_notifications(carol).count() == 0
    assert post not in access.visible_posts(carol)


def test_a_hidden_post_disappears_from_the_home_feed(alice, bob, carol, post):
    from bascule.network import feed

    actions.space_join(actor=carol, space=post.space)
    assert post in feed.home_posts(carol)
    moderation.content_hide(actor=alice, post=post, reason="spam")
    assert post not in feed.home_posts(carol)


def test_its_author_and_the_managers_still_see_it_marked(login, post, alice, bob):
    moderation.content_hide(actor=alice, post=post, reason="confidential")
    author_page = login(bob).get(post.get_absolute_url())
    assert author_page.status_code == 200
    assert "Hidden by a moderator" in author_page.text and "Only you and the moderators see it." in author_page.text
    assert "Hidden by a moderator" in login(bob).get(post.space.get_absolute_url()).text
    manager_page = login(alice).get(post.space.get_absolute_url()).text
    assert "Hidden by a moderator" in manager_page and act_url("restore", post) in manager_page


def test_restore_brings_it_back(login, post, alice, carol):
    moderation.content_hide(actor=alice, post=post, reason="spam")
    response = login(alice).post(act_url("restore", post), {"next": QUEUE})
    assert response.status_code == 302
    assert not HiddenContent.objects.exists()
    reader = login(carol)
    assert reader.get(post.get_absolute_url()).status_code == 200
    assert "Supplier prices" in reader.get(post.space.get_absolute_url()).text
    assert SearchDocument.objects.filter(kind=DocumentKind.POST, object_id=post.pk).exists()


def test_a_hidden_comment_disappears_but_for_its_author(login, post, comment, alice, bob, carol):
    client = login(bob)
    report(client, post, comment, reason="harassment")
    login(alice).post(act_url("hide", post, comment), {"reason": "harassment"})
    assert Report.objects.get().status == ReportStatus.RESOLVED
    reader_page = login(bob).get(post.get_absolute_url()).text
    assert "Acme staff are idiots" not in reader_page
    assert comment not in access.visible_comments(bob)
    assert not SearchDocument.objects.filter(kind=DocumentKind.COMMENT, object_id=comment.pk).exists()
    author_page = login(carol).get(post.get_absolute_url()).text
    assert "Acme staff are idiots" in author_page and "Hidden by a moderator" in author_page
    assert "Acme staff are idiots" in login(alice).get(post.get_absolute_url()).text
    # A reply to it, or a reaction, finds nothing.
    assert login(bob).post(reverse("feed:react", args=[post.pk]), {"kind": "like", "comment": comment.pk}).status_code == 404


def test_only_moderators_hide(login, post, carol, dave, atlas):
    # carol reads the public space but does not manage it: a sentence, 403.
    response = login(carol).post(act_url("hide", post), {"reason": "spam"})
    assert response.status_code == 403
    assert "Only the managers of this space and the platform moderators" in response.text
    with pytest.raises(PermissionDenied):
        moderation.content_hide(actor=carol, post=post, reason="spam")
    assert not HiddenContent.objects.exists()


def test_what_one_cannot_read_nor_moderate_answers_404(login, carol, dave):
    secret = actions.space_create(actor=dave, name="Board", visibility=Visibility.SECRET, join_policy=JoinPolicy.INVITE)
    board_post = actions.post_create(actor=dave, space=secret, body="Layoffs")
    assert login(carol).get(act_url("hide", board_post)).status_code == 404
    assert login(carol).get(act_url("hide", board_post) .replace(str(board_post.pk), "999999")).status_code == 404


def test_a_platform_moderator_hides_in_any_space(login, post, mia, carol):
    assert login(mia).post(act_url("hide", post), {"reason": "spam"}).status_code == 302
    assert login(carol).get(post.get_absolute_url()).status_code == 404


def test_dismissing_keeps_the_content(login, post, alice, carol):
    report(login(carol), post)
    assert login(alice).post(act_url("dismiss", post), {"note": "Public prices"}).status_code == 302
    assert Report.objects.get().status == ReportStatus.DISMISSED
    assert login(carol).get(post.get_absolute_url()).status_code == 200
    assert "Supplier prices" not in login(alice).get(QUEUE).text
    assert "Supplier prices" in login(alice).get(QUEUE, {"status": "closed"}).text


def test_the_confirmation_page_comes_first(login, post, alice, carol):
    report(login(carol), post, reason="off_topic")
    page = login(alice).get(act_url("hide", post))
    assert page.status_code == 200 and "Hide this post?" in page.text
    assert 'value="off_topic" selected' in page.text
    assert not HiddenContent.objects.exists()


def test_it_does_not_hide_twice_nor_restore_what_is_shown(alice, post):
    with pytest.raises(ValidationError):
        moderation.content_restore(actor=alice, post=post)
    moderation.content_hide(actor=alice, post=post, reason="spam")
    with pytest.raises(ValidationError):
        moderation.content_hide(actor=alice, post=post, reason="spam")


# The audit log ----------------------------------------------------------------------------


def test_every_act_is_logged(post, comment, alice, bob, carol):
    moderation.report_create(actor=carol, post=post, reason="spam", note="Ads")
    moderation.report_create(actor=bob, post=post, comment=comment, reason="harassment")
    moderation.report_dismiss(actor=alice, post=post)
    moderation.content_hide(actor=alice, post=post, comment=comment, reason="harassment", note="Insult")
    moderation.content_restore(actor=alice, post=post, comment=comment)
    moderation.report_create(actor=carol, post=post, reason="other")
    moderation.report_resolve(actor=alice, post=post)
    rows = list(ModerationLog.objects.order_by("pk").values_list("actor", "act", "target_type", "target_id", "space", "reason"))
    assert rows == [
        (carol.pk, "report", "post", post.pk, post.space_id, "spam"),
        (bob.pk, "report", "comment", comment.pk, post.space_id, "harassment"),
        (alice.pk, "dismiss", "post", post.pk, post.space_id, ""),
        (alice.pk, "hide", "comment", comment.pk, post.space_id, "harassment"),
        (alice.pk, "restore", "comment", comment.pk, post.space_id, ""),
        (carol.pk, "report", "post", post.pk, post.space_id, "other"),
        (alice.pk, "resolve", "post", post.pk, post.space_id, ""),
    ]


def test_a_refused_act_logs_nothing(post, carol):
    with pytest.raises(PermissionDenied):
        moderation.content_hide(actor=carol, post=post, reason="spam")
    assert not ModerationLog.objects.exists()


def test_the_log_page_shows_the_acts_of_my_spaces_only(login, post, alice, carol, dave, atlas, mia):
    moderation.report_create(actor=carol, post=post, reason="spam")
    moderation.content_hide(actor=alice, post=post, reason="spam", note="Advertising")
    page = login(alice).get(reverse("moderation:log")).text
    assert "Alice Martin" in page and "Advertising" in page
    assert "Carol Petit" not in page  # reporters are not named
    assert "Quality" not in login(dave).get(reverse("moderation:log")).text
    assert "Quality" in login(mia).get(reverse("moderation:log")).text


# Costs ------------------------------------------------------------------------------------


@pytest.fixture
def hugo_and_ines(org):
    return [
        make_person("Hugo Blanc", "hugo@example.com", department=org["sales"], site=org["lyon"]),
        make_person("Ines Faure", "ines@example.com", department=org["sales"], site=org["lyon"]),
    ]


def _queries_of(client, url):
    # The second view, as people browse: each page finds what it keeps in the cache (the
    # header's unread count, the moderation counts) whatever the view before it changed.
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _reporters(org, count, offset):
    return [make_person(f"Reader {offset + n}", f"reader{offset + n}@example.com", site=org["lyon"]) for n in range(count)]


def test_the_queue_and_the_log_cost_the_same_for_3_or_30_reports(login, org, alice, bob, quality):
    client = login(alice)

    def fill(count, offset):
        for n, person in enumerate(_reporters(org, count, offset)):
            post = actions.post_create(actor=bob, space=quality, body=f"Post {offset + n}")
            comment = actions.comment_create(actor=bob, post=post, body=f"Comment {offset + n}")
            moderation.report_create(actor=person, post=post, reason="spam", note="note")
            moderation.report_create(actor=person, post=post, comment=comment, reason="other")
            if n % 3 == 0:
                moderation.content_hide(actor=alice, post=post, reason="spam")

    fill(3, 0)
    client.get(QUEUE)
    few = {url: _queries_of(client, url) for url in (QUEUE, QUEUE + "?status=hidden", QUEUE + "?status=closed", reverse("moderation:log"))}
    fill(30, 100)
    many = {url: _queries_of(client, url) for url in few}
    assert few == many


# Search keeps hidden content out of its index, even when its author edits it -----------


def test_an_edit_by_the_author_does_not_bring_a_hidden_post_back_into_search(alice, bob, carol, post):
    from bascule.search.queries import search

    moderation.content_hide(actor=alice, post=post, reason="spam")
    actions.post_edit(actor=bob, post=post, title="Supplier prices", body="The prices of Acme are still too high")
    assert not [r for r in search(carol, text="Acme").results if r.kind == DocumentKind.POST]
