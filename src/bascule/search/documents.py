"""What the index holds for each post, comment, person and space (reads only; the writes
are in ``actions.py``)."""

from collections.abc import Iterable, Iterator

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef

from .models import DocumentKind, SearchDocument
from .text import plain_text_from_html, terms_of

KIND_OF_MODEL = {
    "network.post": DocumentKind.POST,
    "network.comment": DocumentKind.COMMENT,
    "network.space": DocumentKind.SPACE,
    "people.person": DocumentKind.PERSON,
}
MODEL_OF_KIND = {kind: label for label, kind in KIND_OF_MODEL.items()}


def kind_of(obj: models.Model) -> str | None:
    """The document kind of ``obj``, None for what is not searched."""
    return KIND_OF_MODEL.get(obj._meta.label_lower)


def _text(obj) -> str:
    # Posts and comments keep their sanitised rendering: its text has the Markdown
    # syntax removed. Their source is the fallback for rows written without a rendering.
    markup = getattr(obj, "body_html", "")
    return plain_text_from_html(markup) if markup else " ".join((getattr(obj, "body", "") or "").split())


def _document(kind: str, obj, *, title: str, body: str, **fields) -> SearchDocument:
    title = " ".join((title or "").split())[:300]
    return SearchDocument(
        kind=kind,
        object_id=obj.pk,
        title=title,
        body=body,
        title_terms=terms_of(title),
        body_terms=terms_of(body),
        **fields,
    )


def _hidden_content():
    """The moderation's HiddenContent model, when moderation is installed."""
    try:
        return apps.get_model("moderation", "HiddenContent")
    except LookupError:
        return None


def _hidden_condition(kind: str):
    """SQL condition on Post or Comment: a moderator hid it (None without moderation)."""
    model = _hidden_content()
    if model is None or kind not in (DocumentKind.POST, DocumentKind.COMMENT):
        return None
    if kind == DocumentKind.POST:
        return Exists(model.objects.filter(post=OuterRef("pk"), comment__isnull=True))
    return Exists(model.objects.filter(comment=OuterRef("pk")))


def _is_hidden(kind: str, obj) -> bool:
    # Hidden content leaves the index for everyone (its author and the space's managers
    # still see it on its page): an author's edit or a rebuild must not bring it back.
    hidden = getattr(obj, "search_hidden", None)
    if hidden is not None:
        return hidden
    condition = _hidden_condition(kind)
    if condition is None:
        return False
    return type(obj)._default_manager.filter(pk=obj.pk).filter(condition).exists()


def document_for(obj: models.Model, *, skills=None, interests=None) -> SearchDocument | None:
    """The unsaved document for ``obj``, or None when it must not be found (deleted).

    For a person, ``skills`` and ``interests`` may be given (bulk loads) to save queries.
    """
    kind = kind_of(obj)
    if kind is None:
        raise TypeError(f"{obj._meta.label} is not searched.")
    if getattr(obj, "deleted_at", None) is not None or _is_hidden(kind, obj):
        return None
    # A scheduled announcement (and what is written under it) is found once it is out:
    # ``network.actions.announcements_publish`` indexes it then.
    post = obj if kind == DocumentKind.POST else obj.post if kind == DocumentKind.COMMENT else None
    if post is not None and post.is_scheduled:
        return None
    if kind == DocumentKind.POST:
        return _document(
            kind, obj, title=obj.title, body=_text(obj),
            post_id=obj.pk, space_id=obj.space_id, author_id=obj.author_id, created_at=obj.created_at,
        )
    if kind == DocumentKind.COMMENT:
        return _document(
            kind, obj, title="", body=_text(obj),
            post_id=obj.post_id, space_id=obj.post.space_id, author_id=obj.author_id, created_at=obj.created_at,
        )
    if kind == DocumentKind.SPACE:
        return _document(
            kind, obj, title=obj.name, body=" ".join((obj.purpose or "").split()),
            space_id=obj.pk, created_at=obj.created_at,
        )
    # A person: found by name, job title, skills, interests and what they say about themself.
    skills = obj.skills.all() if skills is None else skills
    interests = obj.interests.all() if interests is None else interests
    about = [obj.title, ", ".join(t.name for t in skills), ", ".join(t.name for t in interests), obj.bio]
    return _document(
        kind, obj, title=obj.display_name, body=" · ".join(p.strip() for p in about if p and p.strip()),
        created_at=obj.created_at,
    )


def source_rows(kind: str, ids: Iterable[int] | None = None, chunk_size: int = 2000) -> Iterator[models.Model]:
    """Every post, comment, person or space to index (``ids`` only, when given), fetched
    in chunks with what their documents need."""
    model = apps.get_model(MODEL_OF_KIND[kind])
    rows = model._default_manager.order_by("pk")
    hidden = _hidden_condition(kind)
    if hidden is not None:
        rows = rows.annotate(search_hidden=hidden)
    if kind == DocumentKind.COMMENT:
        rows = rows.select_related("post")
    elif kind == DocumentKind.PERSON:
        rows = rows.prefetch_related("skills", "interests")
    if ids is None:
        yield from rows.iterator(chunk_size=chunk_size)
        return
    # In chunks: SQLite accepts a limited number of parameters in one statement.
    ids = sorted(set(ids))
    for start in range(0, len(ids), chunk_size):
        yield from rows.filter(pk__in=ids[start : start + chunk_size])


def searched_kinds() -> list[str]:
    """The kinds whose models exist in this installation (comments come with the network)."""
    kinds = []
    for kind, label in MODEL_OF_KIND.items():
        try:
            apps.get_model(label)
        except LookupError:
            continue
        kinds.append(kind)
    return kinds
