"""Spaces and posts pages. Thin: fetch through access, call one action or query, render.

What a person may not see answers 404 (``access_*``); what they see but may not do
answers 403 with the action's own sentence.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bascule import access
from bascule.core.responses import forbidden as _denied, form_errors as _form_errors

from . import actions, markdown, queries
from . import files as filetypes
from . import feed as feeds
from .feed import cursor_page
from .forms import (
    CommentForm,
    InviteForm,
    JoinForm,
    PostEditForm,
    PostForm,
    ReactionForm,
    ShareForm,
    SpaceFilterForm,
    SpaceForm,
)
from .models import POST_BODY_MAX_LENGTH, Comment, Membership, MembershipStatus, Post, Role, Visibility

POSTS_PER_PAGE = 20


def directory(request):
    """Spaces I belong to first, then the others I may find; invitations on top."""
    form = SpaceFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    spaces = queries.with_member_counts(list(queries.space_directory(request.person, kind=kind)))
    context = {
        "form": form,
        "kind": kind,
        "invitations": [s for s in spaces if s.my_status == MembershipStatus.INVITED],
        "mine": [s for s in spaces if s.my_status == MembershipStatus.ACTIVE],
        "others": [s for s in spaces if s.my_status not in {MembershipStatus.ACTIVE, MembershipStatus.INVITED}],
    }
    return render(request, "network/directory.html", context)


def space_create(request):
    form = SpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            space = actions.space_create(
                actor=request.person,
                name=data["name"],
                purpose=data["purpose"],
                kind=data["kind"],
                visibility=data["visibility"],
                join_policy=data["join_policy"] or None,
                rules=data["rules"],
                audience=form.audience(),
            )
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your space is ready. Say hello with a first post, then invite colleagues."))
            return redirect(space)
    return render(request, "network/space_form.html", {"form": form}, status=400 if form.errors else 200)


def _audience_line(space, member_count, audience):
    """Who will read a post in this space, in words (UI.md: "safe to try")."""
    if space.visibility != Visibility.PUBLIC:
        return ngettext(
            "Visible to the %(count)s member of %(space)s",
            "Visible to the %(count)s members of %(space)s",
            member_count,
        ) % {"count": member_count, "space": space.name}
    if audience:
        groups = "; ".join(", ".join(names) for names in audience.values())
        return _("Visible to everyone in %(groups)s") % {"groups": groups}
    return _("Visible to everyone")


def _space_page(request, space, *, form=None, preview_html=None, status=200):
    person = request.person
    membership = access.membership_of(person, space)
    can_read = access.may_read_space(person, space, membership)
    kinds = access.post_kinds_allowed(person, space, membership)
    audience = queries.space_audience_names(space)
    member_count = queries.space_member_count(space) if can_read else None
    # Pinned posts first, then newest; older ones a page at a time ("Show older posts",
    # htmx or a link): no count of a space's posts, whatever its size.
    feed = cursor_page(queries.space_posts(person, space), request.GET.get("cursor"), pinned_first=True) if can_read else None
    if feed is not None:
        feed.posts = queries.posts_decorate(person, feed.posts)
        if request.htmx and request.GET.get("cursor"):
            return render(request, "network/partials/_feed_page.html", {"feed": feed, "in_space": True})
    if kinds and form is None:
        form = PostForm(kinds=kinds, initial={"kind": kinds[0]})
    context = {
        "space": space,
        "membership": membership,
        "can_read": can_read,
        "member_count": member_count,
        "audience": audience,
        "audience_line": _audience_line(space, member_count, audience) if kinds else "",
        "feed": feed,
        "in_space": True,
        "form": form if kinds else None,
        "preview_html": preview_html,
        "may_manage": access.may_manage(person, space, membership),
        "may_join": access.may_join(person, space, membership),
        "invited": access.may_accept_invitation(person, space, membership),
        "join_form": JoinForm(),
        "question_counts": queries.question_counts(person, space=space) if can_read else None,
        "following": can_read and membership is None and feeds.follow_state(person, space=space),
    }
    return render(request, "network/space.html", context, status=status)


def space(request, slug):
    """A space: what it is for, how to join, and its posts to those who may read them."""
    return _space_page(request, access.access_space(request.person, slug))


@require_POST
def post_create(request, slug):
    """The composer. "Preview" shows the rendered text without posting (no JavaScript
    needed); "Post" publishes."""
    space = access.access_space(request.person, slug)
    kinds = access.post_kinds_allowed(request.person, space)
    if not kinds:
        if space.is_archived:
            return _denied(request, PermissionDenied(_("This space is archived: nobody posts in it any more.")))
        return _denied(request, PermissionDenied(_("Join this space to post in it.")))
    form = PostForm(request.POST, request.FILES, kinds=kinds)
    if not form.is_valid():
        return _space_page(request, space, form=form, status=400)
    data = form.cleaned_data
    if "preview" in request.POST:
        if data["files"]:
            form.add_error("files", _("Files are not kept by a preview: choose them again before posting."))
        return _space_page(request, space, form=form, preview_html=markdown.render(data["body"]))
    try:
        post = actions.post_create(
            actor=request.person,
            space=space,
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            files=data["files"],
            publish_at=data.get("publish_at"),
            requires_confirmation=data.get("requires_confirmation", False),
        )
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        _form_errors(form, error)
        return _space_page(request, space, form=form, status=400)
    if post.is_scheduled:
        messages.success(
            request,
            _("Your announcement is scheduled. Until then, only you and the managers of this space see it."),
        )
    else:
        messages.success(request, _("Your post is published."))
    _warn_unreadable_mentions(request, post)
    return redirect(post)


def _warn_unreadable_mentions(request, post, comment=None) -> None:
    """Tell the author which people they mentioned may not read the post yet: they will
    be notified once they may (invite them)."""
    unable = queries.mentioned_without_access(post, comment)
    if unable:
        messages.warning(
            request,
            ngettext(
                "%(names)s cannot read this yet: they will be notified once they can. Invite them to the space.",
                "%(names)s cannot read this yet: they will be notified once they can. Invite them to the space.",
                len(unable),
            )
            % {"names": ", ".join(p.display_name for p in unable)},
        )


@require_POST
def preview(request):
    """The rendered Markdown of the composer, for htmx (the same fragment as the page)."""
    body = request.POST.get("body", "")[:POST_BODY_MAX_LENGTH]
    return render(request, "network/partials/_preview.html", {"preview_html": markdown.render(body)})


@require_POST
def space_join(request, slug):
    """Join, ask to join, or accept an invitation, depending on the space."""
    space = access.access_space(request.person, slug)
    form = JoinForm(request.POST)
    form.is_valid()
    try:
        membership = actions.space_join(
            actor=request.person, space=space, accept_rules=form.cleaned_data.get("accept_rules", False)
        )
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(space)
    if membership.status == MembershipStatus.REQUESTED:
        messages.success(request, _("Your request is sent. The managers of the space will answer it."))
    else:
        messages.success(request, _("Welcome to %(space)s!") % {"space": space.name})
    return redirect(space)


@require_POST
def space_leave(request, slug):
    space = access.access_space(request.person, slug)
    try:
        actions.space_leave(actor=request.person, space=space)
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(space)
    messages.success(request, _("Done."))
    # A secret space disappears for a person who leaves it.
    if access.visible_spaces(request.person).filter(pk=space.pk).exists():
        return redirect(space)
    return redirect("network:directory")


def _managed_space(request, slug):
    space = access.access_space(request.person, slug)
    if not access.may_manage(request.person, space):
        raise PermissionDenied(_("Only the managers of this space may see this page."))
    return space


def members(request, slug):
    """The people of a space, for its managers: requests to answer, invitations, members."""
    try:
        space = _managed_space(request, slug)
    except PermissionDenied as error:
        return _denied(request, error)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invited = queries.invitable_person(request.person, form.cleaned_data["email"])
        if invited is None:
            form.add_error("email", _("Nobody with this e-mail address works here."))
        else:
            try:
                actions.space_invite(actor=request.person, space=space, person=invited)
            except PermissionDenied as error:
                return _denied(request, error)
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(request, _("%(name)s is invited.") % {"name": invited.display_name})
                return redirect("network:members", slug=space.slug)
    return _members_page(request, space, form=form, status=400 if form.errors else 200)


def _members_page(request, space, *, form=None, status=200):
    members = queries.space_members(space)
    is_owner = any(m.person_id == request.person.pk and m.role == Role.OWNER for m in members.active)
    context = {
        "space": space, "members": members, "form": form or InviteForm(),
        # The roles a manager may give (an owner may also name owners), and whose: not
        # their own, an owner's only for an owner, nobody's in an archived space.
        "roles": [(value, label) for value, label in Role.choices if is_owner or value != Role.OWNER],
        "manageable": set() if space.archived_at else {
            m.pk for m in members.active
            if m.person_id != request.person.pk and (is_owner or m.role != Role.OWNER)
        },
    }
    return render(request, "network/members.html", context, status=status)


def _member_change(request, slug, membership_id, change):
    """A manager changes someone's membership (``change`` calls the action and returns
    the message to show): back to the members page, or the page again with the reason
    and 400 when the change is refused."""
    try:
        space = _managed_space(request, slug)
    except PermissionDenied as error:
        return _denied(request, error)
    membership = get_object_or_404(Membership.objects.select_related("person", "space"), pk=membership_id, space=space)
    try:
        message = change(membership)
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _members_page(request, space, status=400)
    messages.success(request, message)
    return redirect("network:members", slug=space.slug)


@require_POST
def member_role(request, slug, membership_id):
    """A manager names a member editor or manager (an owner: owner), or member again."""

    def change(membership):
        role = request.POST.get("role", "")
        changed = actions.membership_role_set(actor=request.person, membership=membership, role=role)
        return _("%(name)s is now %(role)s.") % {
            "name": changed.person.display_name, "role": changed.get_role_display().lower()
        }

    return _member_change(request, slug, membership_id, change)


@require_POST
def member_remove(request, slug, membership_id):
    """A manager takes someone out of the space."""

    def change(membership):
        actions.membership_remove(actor=request.person, membership=membership)
        return _("%(name)s is no longer a member of this space.") % {"name": membership.person.display_name}

    return _member_change(request, slug, membership_id, change)


@require_POST
def request_answer(request, slug, membership_id, decision):
    """A manager approves or refuses a request to join."""
    if decision not in {"approve", "refuse"}:
        raise Http404
    try:
        space = _managed_space(request, slug)
    except PermissionDenied as error:
        return _denied(request, error)
    membership = get_object_or_404(
        Membership.objects.select_related("person"), pk=membership_id, space=space
    )
    action = actions.space_request_approve if decision == "approve" else actions.space_request_refuse
    try:
        action(actor=request.person, membership=membership)
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if decision == "approve":
            messages.success(request, _("%(name)s is now a member.") % {"name": membership.person.display_name})
        else:
            messages.success(request, _("The request of %(name)s is refused.") % {"name": membership.person.display_name})
    return redirect("network:members", slug=space.slug)


def space_archive(request, slug):
    """Archive, after a confirmation page."""
    try:
        space = _managed_space(request, slug)
    except PermissionDenied as error:
        return _denied(request, error)
    if request.method == "POST":
        actions.space_archive(actor=request.person, space=space)
        messages.success(request, _("The space is archived. It stays readable; nobody can post in it any more."))
        return redirect(space)
    return render(request, "network/space_archive.html", {"space": space})


def _post_in(request, slug, post_id) -> Post:
    post = access.access_post(request.person, post_id)
    if post.space is None or post.space.slug != slug:
        raise Http404
    return post


def _comment_form(post, form=None) -> CommentForm:
    """The comment form of ``post``; under a question, what one writes is an answer."""
    form = form or CommentForm()
    if post.kind == "question":
        form.fields["body"].label = _("Your answer")
    return form


def _post_page(request, post, *, comment_form=None, status=200):
    """One post with its comments and reactions, and what the reader may do with it."""
    person = request.person
    membership = access.membership_of(person, post.space) if post.space_id else None
    may_manage = post.space_id is not None and access.may_manage(person, post.space, membership)
    queries.posts_decorate(person, [post])
    after = request.GET.get("after", "")
    threads, more_threads = queries.post_threads(
        person, post, after=int(after) if after.isdigit() else None, limit=queries.THREADS_PER_PAGE
    )
    may_comment = access.may_comment(person, post)
    context = {
        "space": post.space,
        "post": post,
        "threads": threads,
        "may_edit": access.may_edit_post(person, post),
        "may_delete": access.may_delete_post(person, post, membership),
        "may_pin": access.may_pin_post(person, post, membership),
        "may_comment": may_comment,
        "may_manage": may_manage,
        "may_accept": access.may_accept_answer(person, post, membership),
        "more_threads_after": threads[-1].comment.pk if more_threads and threads else None,
        "overdue": post.kind == "question"
        and post.due_at is not None
        and post.due_at < timezone.now()
        and not queries.question_is_answered(post),
        "comment_form": _comment_form(post, comment_form) if may_comment else None,
        "may_confirm": access.may_confirm_read(person, post),
        "may_see_confirmations": access.may_see_confirmations(person, post, membership),
    }
    if context["may_confirm"]:
        context["my_confirmation"] = queries.my_confirmation(person, post)
    if context["may_see_confirmations"]:
        context["confirmations"] = queries.confirmations(post)
    return render(request, "network/post.html", context, status=status)


def post(request, slug, post_id):
    """One post in a space (opening it records ``read``, once a day)."""
    post = _post_in(request, slug, post_id)
    actions.visit_record(actor=request.person)
    actions.post_read(actor=request.person, post=post)
    return _post_page(request, post)


def profile_post(request, post_id):
    """One post: on a profile it is shown here; in a space, at its address in the space."""
    post = access.access_post(request.person, post_id)
    if post.space_id is not None:
        return redirect(post)
    actions.visit_record(actor=request.person)
    actions.post_read(actor=request.person, post=post)
    return _post_page(request, post)


@require_POST
def comment_create(request, post_id):
    """A comment on a post, or a reply to a top-level comment (``parent``)."""
    post = access.access_post(request.person, post_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _post_page(request, post, comment_form=form, status=400)
    parent = None
    if form.cleaned_data["parent"]:
        parent = Comment.objects.filter(post=post, pk=form.cleaned_data["parent"]).first()
        if parent is None:
            raise Http404
    try:
        comment = actions.comment_create(actor=request.person, post=post, body=form.cleaned_data["body"], parent=parent)
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        _form_errors(form, error)
        return _post_page(request, post, comment_form=form, status=400)
    _warn_unreadable_mentions(request, post, comment)
    return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")


def comment_edit(request, post_id, comment_id):
    post = access.access_post(request.person, post_id)
    comment = access.access_comment(request.person, post, comment_id)
    if not access.may_edit_comment(request.person, comment):
        return _denied(request, PermissionDenied(_("Only the author may edit this comment.")))
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            actions.comment_edit(actor=request.person, comment=comment, body=form.cleaned_data["body"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
    context = {"post": post, "space": post.space, "comment": comment, "form": form}
    return render(request, "network/comment_edit.html", context, status=400 if form.errors else 200)


def comment_delete(request, post_id, comment_id):
    """Delete a comment, after a confirmation page."""
    post = access.access_post(request.person, post_id)
    comment = access.access_comment(request.person, post, comment_id)
    if not access.may_delete_comment(request.person, comment):
        return _denied(request, PermissionDenied(_("Only the author or the managers of this space may delete this comment.")))
    if request.method == "POST":
        actions.comment_delete(actor=request.person, comment=comment)
        messages.success(request, _("The comment is deleted."))
        return redirect(post)
    return render(request, "network/comment_delete.html", {"post": post, "space": post.space, "comment": comment})


@require_POST
def reaction_toggle(request, post_id):
    """Add or take back a reaction. With htmx, answers the reactions bar alone."""
    post = access.access_post(request.person, post_id)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return render(request, "core/error.html", {"title": _("Bad request"), "message": _("Choose a reaction from the list.")}, status=400)
    comment = None
    if form.cleaned_data["comment"]:
        comment = access.access_comment(request.person, post, form.cleaned_data["comment"])
    try:
        actions.reaction_toggle(actor=request.person, post=post, kind=form.cleaned_data["kind"], comment=comment)
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        return render(request, "core/error.html", {"title": _("Bad request"), "message": " ".join(error.messages)}, status=400)
    if request.htmx:
        if comment is None:
            queries.posts_decorate(request.person, [post])
            target = post
        else:
            target = next(
                c for thread in queries.post_threads(request.person, post) for c in [thread.comment, *thread.replies] if c.pk == comment.pk
            )
        return render(request, "network/partials/_reactions.html", {"post": post, "target": target, "comment": comment, "may_react": True})
    anchor = f"#comment-{comment.pk}" if comment else ""
    return redirect(f"{post.get_absolute_url()}{anchor}")


def post_share(request, post_id):
    """Share a post into one of my spaces or on my profile, with a few words."""
    post = access.access_post(request.person, post_id)
    original = post.shared_post if post.shared_post_id else post
    if original is None or not access.may_share(request.person, original):
        return _denied(request, PermissionDenied(_("You may not share this post.")))
    spaces = list(queries.share_targets(request.person))
    form = ShareForm(request.POST or None, spaces=spaces)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        space = None if target == "profile" else next(s for s in spaces if str(s.pk) == target)
        try:
            share = actions.post_share(actor=request.person, post=original, space=space, body=form.cleaned_data["body"])
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Shared."))
            return redirect(share)
    queries.posts_decorate(request.person, [original])
    context = {"post": original, "space": original.space, "form": form}
    return render(request, "network/post_share.html", context, status=400 if form.errors else 200)


def post_edit(request, slug, post_id):
    post = _post_in(request, slug, post_id)
    if not access.may_edit_post(request.person, post):
        return _denied(request, PermissionDenied(_("Only the author may edit this post.")))
    attachments = list(post.attachments.order_by("created_at", "pk"))
    form = PostEditForm(
        request.POST or None, request.FILES or None, initial={"title": post.title, "body": post.body}, attachments=attachments
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.post_edit(
                actor=request.person,
                post=post,
                title=data["title"],
                body=data["body"],
                files_added=data["files"],
                files_removed=[int(pk) for pk in data.get("remove", [])],
            )
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your post is saved. The previous version is kept in its history."))
            return redirect(post)
    return render(request, "network/post_edit.html", {"space": post.space, "post": post, "form": form}, status=400 if form.errors else 200)


def post_delete(request, slug, post_id):
    """Delete, after a confirmation page."""
    post = _post_in(request, slug, post_id)
    if not access.may_delete_post(request.person, post):
        return _denied(request, PermissionDenied(_("Only the author or the managers of this space may delete this post.")))
    if request.method == "POST":
        actions.post_delete(actor=request.person, post=post)
        messages.success(request, _("The post is deleted."))
        return redirect(post.space)
    return render(request, "network/post_delete.html", {"space": post.space, "post": post})


@require_POST
def post_pin(request, slug, post_id):
    post = _post_in(request, slug, post_id)
    try:
        actions.post_pin(actor=request.person, post=post, pinned=request.POST.get("pinned") == "1")
    except PermissionDenied as error:
        return _denied(request, error)
    return redirect(post.space)


def post_history(request, slug, post_id):
    """Earlier versions of a post, to whoever may read it."""
    post = _post_in(request, slug, post_id)
    revisions = [
        (revision, markdown.render(revision.body)) for revision in queries.post_revisions(post)
    ]
    return render(request, "network/post_history.html", {"space": post.space, "post": post, "revisions": revisions})


def mention_suggestions(request):
    """The colleagues to mention whose name starts like ``q`` (htmx fragment, 8 at most)."""
    query = request.GET.get("q", "")
    people = queries.mention_suggestions(request.person, query)
    return render(request, "network/partials/_mention_suggestions.html", {"people": people, "query": query})


def _feed_response(request, template, context):
    """A feed page, or with htmx only its next page of posts (the "Show older" button)."""
    context["feed"].posts = queries.posts_decorate(request.person, context["feed"].posts)
    if request.htmx and request.GET.get("cursor"):
        return render(request, "network/partials/_feed_page.html", context)
    return render(request, template, context)


def tag_feed(request, slug):
    """The posts of a #tag that I may read."""
    tag = queries.tag_by_slug(slug)
    if tag is None:
        raise Http404
    feed = cursor_page(queries.tag_posts(request.person, tag), request.GET.get("cursor"))
    context = {"tag": tag, "feed": feed, "following": feeds.follow_state(request.person, tag=tag)}
    return _feed_response(request, "network/tag.html", context)


def profile_feed(request, person_id):
    """What a colleague wrote that I may read: on their profile and in my readable spaces.
    On my own, a composer for my profile."""
    person = access.access_person(request.person, person_id)
    feed = cursor_page(feeds.profile_posts(request.person, person), request.GET.get("cursor"))
    is_me = person.pk == request.person.pk
    context = {
        "profile": person,
        "feed": feed,
        "is_me": is_me,
        "following": None if is_me else feeds.follow_state(request.person, person=person),
        "form": PostForm(kinds=access.post_kinds_allowed(request.person, None)) if is_me else None,
    }
    return _feed_response(request, "network/profile_feed.html", context)


@require_POST
def profile_post_create(request):
    """Post on my own profile (read by every colleague)."""
    kinds = access.post_kinds_allowed(request.person, None)
    form = PostForm(request.POST, request.FILES, kinds=kinds)
    if form.is_valid():
        data = form.cleaned_data
        try:
            post = actions.post_create(
                actor=request.person, space=None, kind=data["kind"], title=data["title"], body=data["body"], files=data["files"]
            )
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your post is published on your profile."))
            return redirect(post)
    feed = cursor_page(feeds.profile_posts(request.person, request.person), None)
    context = {"profile": request.person, "feed": feed, "is_me": True, "following": None, "form": form}
    feed.posts = queries.posts_decorate(request.person, feed.posts)
    return render(request, "network/profile_feed.html", context, status=400)


@require_POST
def follow_toggle(request):
    """Follow or stop following a colleague, a space or a tag, then go back."""
    what, target_id, on = request.POST.get("what"), request.POST.get("id", ""), request.POST.get("on") == "1"
    if what == "person":
        target = {"person": access.access_person(request.person, target_id)}
    elif what == "space":
        target = {"space": access.access_space(request.person, int(target_id) if target_id.isdigit() else target_id)}
    elif what == "tag":
        tag = queries.tag_by_slug(target_id)
        if tag is None:
            raise Http404
        target = {"tag": tag}
    else:
        raise Http404
    try:
        (actions.follow if on else actions.unfollow)(actor=request.person, **target)
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    return redirect(next_url)


def home(request):
    """My home: the feed, newest first, new posts marked since my last visit; beside it
    what to do next. An empty feed suggests spaces to join and colleagues to follow.

    Opening the first page moves my "seen" mark; "Show older posts" (a link, or htmx)
    keeps the marks of the first page."""
    from bascule.people.queries import profile_completeness

    person = request.person
    actions.visit_record(actor=person)
    cursor = request.GET.get("cursor")
    feed = cursor_page(feeds.home_posts(person), cursor)
    if cursor:
        seen_at = feeds.cursor_decode(request.GET.get("seen"))
        seen_at = seen_at[0] if seen_at else None
    else:
        seen_at = actions.feed_seen(actor=person)
    for post in feed.posts:
        post.unread = seen_at is not None and post.created_at > seen_at and post.author_id != person.pk
    context = {
        "feed": feed,
        "seen": feeds.cursor_encode(seen_at, 0) if seen_at else "",
        "completeness": profile_completeness(person),
        "spaces_to_join": [] if feed.posts else feeds.spaces_to_join(person),
        "colleagues": [] if feed.posts else feeds.colleagues_to_follow(person),
        "question_counts": queries.question_counts(person),
    }
    return _feed_response(request, "core/home.html", context)


@require_POST
def answer_accept(request, post_id):
    """The asker or a manager accepts an answer."""
    post = access.access_post(request.person, post_id)
    comment = access.access_comment(request.person, post, request.POST.get("comment"))
    try:
        actions.answer_accept(actor=request.person, post=post, comment=comment)
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(post)
    messages.success(request, _("Answer accepted. Thank you for closing the loop."))
    return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")


def _question_status(request) -> str:
    status = request.GET.get("status", "unanswered")
    return status if status in queries.QUESTION_FILTERS else "unanswered"


def questions(request):
    """Questions across the spaces I may read: waiting ones first."""
    status = _question_status(request)
    page = Paginator(queries.questions(request.person, status=status), POSTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = queries.posts_decorate(request.person, page.object_list)
    context = {
        "status": status,
        "page": page,
        "counts": queries.question_counts(request.person),
        "space": None,
        "now": timezone.now(),
    }
    return render(request, "network/questions.html", context)


def space_questions(request, slug):
    """The questions of one space, for whoever may read it."""
    space = access.access_space(request.person, slug)
    if not access.may_read_space(request.person, space):
        raise Http404
    status = _question_status(request)
    page = Paginator(queries.questions(request.person, space=space, status=status), POSTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = queries.posts_decorate(request.person, page.object_list)
    context = {
        "status": status,
        "page": page,
        "counts": queries.question_counts(request.person, space=space),
        "space": space,
        "now": timezone.now(),
    }
    return render(request, "network/questions.html", context)


# ---------------------------------------------------------------------------------------
# Attachments and announcements
# ---------------------------------------------------------------------------------------

# What a downloaded file may do once the browser shows it: nothing (no script, no
# request, no form), in a sandbox; a PDF needs the browser's viewer, which a sandbox
# blocks, so it gets no sandbox but the same "nothing else" rule.
_FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
_PDF_CSP = "default-src 'none'; object-src 'self'; frame-ancestors 'self'"


def attachment(request, post_id, attachment_id):
    """A file of a post, to whoever may read the post (404 for anyone else). Images and
    PDF open in the browser; everything else is downloaded. The type sent is the one read
    from the file's bytes when it was attached."""
    attachment = access.access_attachment(request.person, post_id, attachment_id)
    file_type = attachment.file_type
    inline = file_type.family in filetypes.INLINE_FAMILIES
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = file_type.content_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"  # checked to be UTF-8 when attached
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filetypes.download_name(attachment.original_name, file_type),
        content_type=content_type,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = _PDF_CSP if file_type.family == "pdf" else _FILE_CSP
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_POST
def announcement_confirm(request, post_id):
    """ "I have read it": the reader confirms, once."""
    post = access.access_post(request.person, post_id)
    try:
        actions.announcement_confirm(actor=request.person, post=post)
    except PermissionDenied as error:
        return _denied(request, error)
    messages.success(request, _("Thank you: the authors know you read it."))
    return redirect(post)


def announcement_confirmations(request, post_id):
    """Who confirmed reading an announcement, and which members did not yet: for its
    author and the space's managers."""
    post = access.access_post(request.person, post_id)
    if not access.may_see_confirmations(request.person, post):
        return _denied(request, PermissionDenied(_("Only the author and the managers of this space see who confirmed.")))
    context = {"post": post, "space": post.space, "confirmations": queries.confirmations(post)}
    return render(request, "network/confirmations.html", context)
