"""Accompaniment programs: governance roles with a scope, and the requests people file
with their referents.

Who may see or do what is decided in ``queries.py`` and ``bascule/access.py``; writes go
through ``actions.py``.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bascule.network.models import AudienceField, SegmentValue, SpaceKind, Visibility

# A scope is limited by the same person attributes as a space's audience.
ScopeField = AudienceField


class RoleKind(models.TextChoices):
    REFERENT = "referent", _("Referent")
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    EDITOR = "editor", _("Editor")
    TAXONOMY_OWNER = "taxonomy_owner", _("Taxonomy owner")
    ANALYTICS_VIEWER = "analytics_viewer", _("Analytics viewer")
    AMBASSADOR = "ambassador", _("Ambassador")
    HR_VALIDATOR = "hr_validator", _("HR validator")
    MODERATOR = "moderator", _("Moderator")
    ADMINISTRATOR = "administrator", _("Administrator")


class RoleDescription(models.Model):
    """What a role is for, in both languages, written by the administrators. A kind
    without a row shows the default description of ``descriptions.py``."""

    kind = models.CharField(_("role"), max_length=30, choices=RoleKind.choices, unique=True)
    description_en = models.TextField(_("description in English"), max_length=1000, blank=True)
    description_fr = models.TextField(_("description in French"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        "people.Person", verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("role description")
        verbose_name_plural = _("role descriptions")

    def __str__(self):
        return self.get_kind_display()


class RoleAssignment(models.Model):
    """A person holds a role over a scope, from ``starts_on`` to ``ends_on`` (both
    included; no end: until further notice).

    The scope is stored like a space's audience (``RoleScope`` rows): no row is everyone;
    with rows, a person is in the scope when, for every field listed, their value is one
    of the listed values (fields AND, values OR)."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    kind = models.CharField(_("role"), max_length=30, choices=RoleKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: until further notice."))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "people.Person", verbose_name=_("assigned by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "starts_on", "pk"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        indexes = [models.Index(fields=["kind", "starts_on"]), models.Index(fields=["person", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="role_assignment_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.person_id} {self.kind}"

    def is_active_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class RoleScope(SegmentValue):
    """One allowed value of a segment for a role assignment's scope (see RoleAssignment)."""

    assignment = models.ForeignKey(RoleAssignment, on_delete=models.CASCADE, related_name="scope")

    class Meta:
        verbose_name = _("scope segment")
        verbose_name_plural = _("scope segments")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "field", "value"], name="role_scope_unique")
        ]


class RequestKind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion")
    NEW_SPACE = "new_space", _("New space")
    SPACE_ACCESS = "space_access", _("Access to a space")
    ROLE = "role", _("A role")


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    DONE = "done", _("Done")


# Statuses a request may move to from each status.
TRANSITIONS = {
    RequestStatus.NEW: frozenset({RequestStatus.IN_PROGRESS, RequestStatus.ACCEPTED, RequestStatus.REFUSED}),
    RequestStatus.IN_PROGRESS: frozenset({RequestStatus.ACCEPTED, RequestStatus.REFUSED}),
    RequestStatus.ACCEPTED: frozenset({RequestStatus.DONE}),
    RequestStatus.REFUSED: frozenset({RequestStatus.DONE}),
    RequestStatus.DONE: frozenset(),
}
# Statuses in which a request waits for a decision: these count against the delay.
OPEN_STATUSES = frozenset({RequestStatus.NEW, RequestStatus.IN_PROGRESS})

REQUEST_TITLE_MAX_LENGTH = 200
REQUEST_BODY_MAX_LENGTH = 5000


class Request(models.Model):
    """Something a person asks of their referents: a suggestion, a new space, access to
    a private space, or a role. Routed when filed to the referents whose scope contains
    the requester, else to the administrators (``RequestRecipient``)."""

    requester = models.ForeignKey(
        "people.Person", verbose_name=_("requester"), on_delete=models.CASCADE, related_name="program_requests"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW)
    title = models.CharField(_("title"), max_length=REQUEST_TITLE_MAX_LENGTH)
    body = models.TextField(_("details"), max_length=REQUEST_BODY_MAX_LENGTH, blank=True)
    # A new space: what the requester would like created.
    space_name = models.CharField(_("space name"), max_length=120, blank=True)
    space_purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    space_kind = models.CharField(_("kind of space"), max_length=20, choices=SpaceKind.choices, blank=True)
    space_visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices, blank=True)
    # Access: the private space, or the role, asked for.
    space = models.ForeignKey(
        "network.Space", verbose_name=_("space"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role_kind = models.CharField(_("role"), max_length=30, choices=RoleKind.choices, blank=True)
    # The space created when a new-space request was accepted.
    created_space = models.ForeignKey(
        "network.Space", verbose_name=_("space created"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether nobody held the referent role for the requester when it was filed.
    routed_to_fallback = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("filed"), default=timezone.now, editable=False)
    due_at = models.DateTimeField(_("answer expected by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "people.Person", verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            models.Index(fields=["requester", "-created_at"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:request", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())


class RequestRecipient(models.Model):
    """A person a request was routed to when it was filed (a referent, or an
    administrator as fallback): it is in their inbox."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "person"], name="request_recipient_unique")]
        indexes = [models.Index(fields=["person", "request"])]


class RequestComment(models.Model):
    """A message in a request's thread; a change of status may carry one too."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("people.Person", verbose_name=_("author"), on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=REQUEST_BODY_MAX_LENGTH)
    # The status the request moved to with this message, if any.
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, blank=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("request message")
        verbose_name_plural = _("request messages")


class ProgramLogAction(models.TextChoices):
    ROLE_ASSIGN = "role_assign", _("Role assigned")
    ROLE_END = "role_end", _("Role ended")
    DESCRIPTION_EDIT = "description_edit", _("Role description edited")
    REQUEST_STATUS = "request_status", _("Request status changed")


class ProgramLog(models.Model):
    """The audit trail of the programs: who assigned or ended a role, edited a role's
    description, or moved a request, and when. Not activity: nothing goes to the ledger."""

    actor = models.ForeignKey(
        "people.Person", verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30, choices=ProgramLogAction.choices)
    assignment = models.ForeignKey(RoleAssignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    request = models.ForeignKey(Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    role_kind = models.CharField(max_length=30, choices=RoleKind.choices, blank=True)
    # What changed, in a few words for the administrators (person, scope, dates, status).
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("programs log entry")
        verbose_name_plural = _("programs log")


# Accompaniment
# ---------------------------------------------------------------------------------------
# Playbooks per journey stage, the accompaniment mode (off by default, switched with a
# recorded justification), people's own choices (not accompanied, no nudges), the log of
# who looked at whose journey, the actions accompaniers log, and the nudges sent.

from bascule.adoption.models import Stage  # noqa: E402  (kept with the models that use it)


class Playbook(models.Model):
    """What helps someone at one journey stage, written by the administrators in both
    languages. A stage without a row uses the defaults of ``playbooks.py``; an empty
    field of a row falls back to the other language, then to the default."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, unique=True)
    suggestion_en = models.TextField(_("what to try next, in English"), max_length=1000, blank=True)
    suggestion_fr = models.TextField(_("what to try next, in French"), max_length=1000, blank=True)
    message_en = models.TextField(_("message template, in English"), max_length=2000, blank=True)
    message_fr = models.TextField(_("message template, in French"), max_length=2000, blank=True)
    action_en = models.TextField(_("suggested action for accompaniers, in English"), max_length=1000, blank=True)
    action_fr = models.TextField(_("suggested action for accompaniers, in French"), max_length=1000, blank=True)
    resource_label_en = models.CharField(_("resource title, in English"), max_length=200, blank=True)
    resource_label_fr = models.CharField(_("resource title, in French"), max_length=200, blank=True)
    resource_url = models.CharField(_("resource link"), max_length=500, blank=True)
    space = models.ForeignKey(
        "network.Space", verbose_name=_("space to invite to"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        "people.Person", verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")

    def __str__(self):
        return self.get_stage_display()


class AccompanimentModeChange(models.Model):
    """The accompaniment mode switched on or off by an administrator, with why. The
    latest row is the mode's state (no row: off); all rows are its public history."""

    enabled = models.BooleanField(_("on"))
    justification = models.TextField(_("justification"), max_length=2000)
    actor = models.ForeignKey(
        "people.Person", verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("accompaniment mode change")
        verbose_name_plural = _("accompaniment mode changes")


class AccompanimentPreference(models.Model):
    """A person's own choices: not to be accompanied (they never appear in a queue and
    nobody may open their journey), and no nudges. No row: accompanied, nudged."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="accompaniment_preference"
    )
    opted_out = models.BooleanField(_("do not accompany me"), default=False)
    nudges_off = models.BooleanField(_("no suggestions by e-mail"), default=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("accompaniment preference")
        verbose_name_plural = _("accompaniment preferences")


class JourneyLook(models.Model):
    """``viewer`` opened ``person``'s journey from their accompaniment queue. Shown to
    ``person`` on their journey: every look at someone's stage is visible to them."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    viewer = models.ForeignKey("people.Person", verbose_name=_("who"), on_delete=models.CASCADE, related_name="+")
    role_kind = models.CharField(_("as"), max_length=30, choices=RoleKind.choices)
    looked_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-looked_at", "-pk"]
        verbose_name = _("look at a journey")
        verbose_name_plural = _("looks at journeys")
        indexes = [models.Index(fields=["person", "-looked_at"])]


class AccompanimentActionKind(models.TextChoices):
    MESSAGE = "message", _("Sent a message")
    CONVERSATION = "conversation", _("Talked together")
    INVITATION = "invitation", _("Invited to a space or an event")
    RESOURCE = "resource", _("Shared a resource")


class AccompanimentAction(models.Model):
    """Something an accompanier did for ``person``: records the accompanier's
    ``accompany`` event in the ledger. Shown to ``person`` with its note."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    accompanier = models.ForeignKey(
        "people.Person", verbose_name=_("who"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=20, choices=AccompanimentActionKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The stage the person was in, as the accompanier saw it.
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("accompaniment action")
        verbose_name_plural = _("accompaniment actions")
        indexes = [models.Index(fields=["person", "-created_at"]), models.Index(fields=["accompanier", "-created_at"])]


class Nudge(models.Model):
    """An automatic message from a playbook, e-mailed to ``person`` (at most one every
    BASCULE_NUDGE_INTERVAL_DAYS days, never to someone who turned them off)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("nudge")
        verbose_name_plural = _("nudges")
        indexes = [models.Index(fields=["person", "-sent_at"])]


# Charter
# ---------------------------------------------------------------------------------------


class CharterVersion(models.Model):
    """One published version of the platform charter, in both languages. The highest
    number is in force: every person accepts it at their next login or page."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    text_en = models.TextField(_("charter in English"), max_length=20000)
    text_fr = models.TextField(_("charter in French"), max_length=20000)
    changes_en = models.CharField(_("what changed, in English"), max_length=500, blank=True)
    changes_fr = models.CharField(_("what changed, in French"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        "people.Person", verbose_name=_("published by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")

    def __str__(self):
        return f"{self.number}"


class CharterAcceptance(models.Model):
    """``person`` accepted ``version`` of the charter, at ``accepted_at``."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="acceptances")
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)

    class Meta:
        verbose_name = _("charter acceptance")
        verbose_name_plural = _("charter acceptances")
        constraints = [models.UniqueConstraint(fields=["person", "version"], name="charter_acceptance_unique")]


# ---------------------------------------------------------------------------------------
# Initiatives and recognition
# ---------------------------------------------------------------------------------------

INITIATIVE_TITLE_MAX_LENGTH = 120
BLOCKER_MAX_LENGTH = 1000
CASE_STUDY_PART_MAX_LENGTH = 5000
CASE_STUDY_TAGS_MAX = 8
THANKS_MAX_LENGTH = 280


class Initiative(models.Model):
    """A project community launched by an initiative lead (porteur d'initiative): a space
    of the network, created for it or one the lead owns. Its launch checklist is computed
    from the facts of the space (``initiatives_queries.checklist``), nothing is ticked by
    hand."""

    title = models.CharField(_("title"), max_length=INITIATIVE_TITLE_MAX_LENGTH)
    lead = models.ForeignKey(
        "people.Person", verbose_name=_("initiative lead"), on_delete=models.CASCADE, related_name="initiatives"
    )
    space = models.OneToOneField(
        "network.Space", verbose_name=_("space"), on_delete=models.CASCADE, related_name="initiative"
    )
    created_at = models.DateTimeField(_("launched"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:initiative", args=[self.pk])


class BlockerStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class InitiativeBlocker(models.Model):
    """An obstacle the lead meets (a manager who will not free time, a tool missing…):
    seen by the lead and the referents of the lead's scope only."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="blockers")
    author = models.ForeignKey("people.Person", verbose_name=_("written by"), on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("blocker"), max_length=BLOCKER_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=20, choices=BlockerStatus.choices, default=BlockerStatus.OPEN)
    created_at = models.DateTimeField(_("noted"), default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "people.Person", verbose_name=_("resolved by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("blocker")
        verbose_name_plural = _("blockers")


class CaseStudyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")


class CaseStudy(models.Model):
    """The write-up of an initiative (retour d'expérience): drafted by its lead, reviewed
    by a community manager, then published to the library every employee reads.

    ``tags`` holds the business-context tags as ``,slug,slug,`` so that one tag is found
    with a plain ``contains`` on SQLite and PostgreSQL; ``folded`` is the accent-folded
    text the library's search filters on."""

    initiative = models.OneToOneField(Initiative, on_delete=models.CASCADE, related_name="case_study")
    title = models.CharField(_("title"), max_length=INITIATIVE_TITLE_MAX_LENGTH)
    context = models.TextField(_("context"), max_length=CASE_STUDY_PART_MAX_LENGTH, blank=True)
    actions_taken = models.TextField(_("what was done"), max_length=CASE_STUDY_PART_MAX_LENGTH, blank=True)
    results = models.TextField(_("results"), max_length=CASE_STUDY_PART_MAX_LENGTH, blank=True)
    lessons = models.TextField(_("lessons"), max_length=CASE_STUDY_PART_MAX_LENGTH, blank=True)
    contact = models.ForeignKey(
        "people.Person", verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = models.CharField(_("business context"), max_length=400, blank=True)
    folded = models.TextField(blank=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=CaseStudyStatus.choices, default=CaseStudyStatus.DRAFT)
    # The last review: the note of an approval, or the reason it was sent back.
    review_note = models.TextField(_("review note"), max_length=1000, blank=True)
    reviewed_by = models.ForeignKey(
        "people.Person", verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:case_study", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


class Recognition(models.Model):
    """A short public thanks from one colleague to another (records ``recognize``)."""

    author = models.ForeignKey("people.Person", verbose_name=_("from"), on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        "people.Person", verbose_name=_("to"), on_delete=models.CASCADE, related_name="recognitions"
    )
    message = models.CharField(_("thanks"), max_length=THANKS_MAX_LENGTH)
    created_at = models.DateTimeField(_("given"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        indexes = [models.Index(fields=["recipient", "-created_at"])]


class ContributorConsent(models.Model):
    """A person agreed to appear among the top contributors (off by default: no row, or
    ``shown`` false)."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="contributor_consent")
    shown = models.BooleanField(_("show me among the top contributors"), default=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)


# Ambassador program
# ---------------------------------------------------------------------------------------
# Campaigns recruit volunteer ambassadors: a person applies (or is nominated by a colleague
# and confirms), the HR validator of their scope approves, then their manager confirms.
# Accepted ambassadors hold the ambassador role (``RoleAssignment``) over the campaign's
# scope at their site. Writes in ``ambassadors_actions.py``, reads in
# ``ambassadors_queries.py``.

# Default target of the coverage page: one ambassador per this many people, at least one
# per site.
DEFAULT_PEOPLE_PER_AMBASSADOR = 50
CAMPAIGN_TITLE_MAX_LENGTH = 200
CAMPAIGN_PITCH_MAX_LENGTH = 3000
MOTIVATION_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000


class Campaign(models.Model):
    """A call for ambassadors, open from ``opens_on`` to ``closes_on`` (both included) to
    the people of its scope (``CampaignScope`` rows, the rule of a role's scope) who meet
    its eligibility rules (``CampaignRule``)."""

    title = models.CharField(_("title"), max_length=CAMPAIGN_TITLE_MAX_LENGTH)
    pitch = models.TextField(_("pitch"), max_length=CAMPAIGN_PITCH_MAX_LENGTH)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    people_per_ambassador = models.PositiveSmallIntegerField(
        _("one ambassador per"), default=DEFAULT_PEOPLE_PER_AMBASSADOR,
        help_text=_("The default target of each site: one ambassador for this many people, at least one."),
    )
    created_by = models.ForeignKey(
        "people.Person", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("ambassador campaign")
        verbose_name_plural = _("ambassador campaigns")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="campaign_closes_after_opening")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:campaign", args=[self.pk])

    def status_on(self, day) -> str:
        """"upcoming", "open" or "closed" on ``day``."""
        if day < self.opens_on:
            return "upcoming"
        return "open" if day <= self.closes_on else "closed"


class CampaignScope(SegmentValue):
    """One allowed value of a segment for a campaign's scope (no row: everyone)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scope")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "field", "value"], name="campaign_scope_unique")]


class CampaignRuleKind(models.TextChoices):
    EXCLUDE = "exclude", _("not in")
    MIN_TENURE_MONTHS = "min_tenure_months", _("months in the company at least")


class CampaignRule(models.Model):
    """An eligibility rule, evaluated in SQL: the person is not in a department, site, …
    (``exclude``, ``field`` and ``value`` the excluded id), or has been with the company
    at least ``value`` months (``min_tenure_months``; an unknown start date does not
    qualify)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("rule"), max_length=20, choices=CampaignRuleKind.choices)
    field = models.CharField(_("field"), max_length=20, choices=ScopeField.choices, blank=True)
    value = models.BigIntegerField(_("value"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "kind", "field", "value"], name="campaign_rule_unique")]


class CampaignSiteTarget(models.Model):
    """How many ambassadors a campaign aims for at a site (else the default target)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="site_targets")
    site = models.ForeignKey("people.Site", verbose_name=_("site"), on_delete=models.CASCADE, related_name="+")
    target = models.PositiveSmallIntegerField(_("target"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "site"], name="campaign_site_target_unique")]


class ApplicationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated: waiting for the colleague's answer")
    AWAITING_HR = "awaiting_hr", _("Waiting for HR")
    AWAITING_MANAGER = "awaiting_manager", _("Waiting for the manager")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED_BY_HR = "refused_by_hr", _("Not approved by HR")
    REFUSED_BY_MANAGER = "refused_by_manager", _("Not confirmed by the manager")
    DECLINED = "declined", _("Nomination declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses in which an application is still going somewhere.
PENDING_APPLICATION_STATUSES = frozenset(
    {ApplicationStatus.NOMINATED, ApplicationStatus.AWAITING_HR, ApplicationStatus.AWAITING_MANAGER}
)


class Application(models.Model):
    """A person's application to a campaign: their own, or a colleague's nomination they
    then confirm. One per person and campaign."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="applications")
    candidate = models.ForeignKey(
        "people.Person", verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="ambassador_applications"
    )
    nominated_by = models.ForeignKey(
        "people.Person", verbose_name=_("nominated by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nomination_note = models.TextField(_("why this colleague"), max_length=MOTIVATION_MAX_LENGTH, blank=True)
    motivation = models.TextField(_("motivation"), max_length=MOTIVATION_MAX_LENGTH, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    hr_decided_by = models.ForeignKey(
        "people.Person", verbose_name=_("HR validator"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hr_decided_at = models.DateTimeField(_("HR decision"), null=True, blank=True)
    hr_reason = models.TextField(_("HR's reason"), max_length=REASON_MAX_LENGTH, blank=True)
    manager_decided_by = models.ForeignKey(
        "people.Person", verbose_name=_("manager"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manager_decided_at = models.DateTimeField(_("manager's decision"), null=True, blank=True)
    manager_reason = models.TextField(_("manager's reason"), max_length=REASON_MAX_LENGTH, blank=True)
    assignment = models.ForeignKey(
        RoleAssignment, verbose_name=_("ambassador role"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("ambassador application")
        verbose_name_plural = _("ambassador applications")
        constraints = [models.UniqueConstraint(fields=["campaign", "candidate"], name="application_unique")]
        indexes = [models.Index(fields=["status", "campaign"]), models.Index(fields=["candidate", "status"])]

    def __str__(self):
        return f"{self.candidate_id} → {self.campaign_id} ({self.status})"

    def get_absolute_url(self):
        return reverse("programs:application", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_APPLICATION_STATUSES


class AmbassadorLogAction(models.TextChoices):
    CAMPAIGN_CREATE = "campaign_create", _("Campaign created")
    CAMPAIGN_EDIT = "campaign_edit", _("Campaign edited")
    CAMPAIGN_CLOSE = "campaign_close", _("Campaign closed")
    APPLY = "apply", _("Applied")
    NOMINATE = "nominate", _("Nominated a colleague")
    NOMINATION_ACCEPT = "nomination_accept", _("Nomination accepted")
    NOMINATION_DECLINE = "nomination_decline", _("Nomination declined")
    WITHDRAW = "withdraw", _("Application withdrawn")
    HR_APPROVE = "hr_approve", _("Approved by HR")
    HR_REFUSE = "hr_refuse", _("Not approved by HR")
    MANAGER_CONFIRM = "manager_confirm", _("Confirmed by the manager")
    MANAGER_REFUSE = "manager_refuse", _("Not confirmed by the manager")


class AmbassadorLog(models.Model):
    """The audit trail of the ambassador program: who did what to a campaign or an
    application, when, and the reason they gave."""

    actor = models.ForeignKey(
        "people.Person", verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30, choices=AmbassadorLogAction.choices)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="log")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE, related_name="log")
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ambassador program log entry")
        verbose_name_plural = _("ambassador program log")


class AmbassadorProgram(models.Model):
    """The spaces of the program, created with the first campaign (one row): the
    ambassadors' own community, and the early-news space where they hear first of what
    is coming."""

    ambassadors_space = models.ForeignKey(
        "network.Space", verbose_name=_("ambassadors' space"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    early_news_space = models.ForeignKey(
        "network.Space", verbose_name=_("early-news space"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("ambassador program")
        verbose_name_plural = _("ambassador program")
