"""What helps someone at each journey stage, until the administrators write their own.

Drawn from the seeds: inform and reassure (information), take care of the first steps
so as not to disappoint (discovery), proximity and listening to find what is in it for
the person (participation), help with a personal strategy of exposure (contribution),
propose actions and help recruit and value peers (promotion), and an easy, relevant way
back (disappointment).
"""

from dataclasses import dataclass

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from bascule.adoption.models import Stage


@dataclass(frozen=True)
class PlaybookDefault:
    suggestion: str
    message: str
    action: str
    resource_label: str
    resource_url: str


DEFAULT_PLAYBOOKS = {
    Stage.INFORMATION: PlaybookDefault(
        suggestion=_(
            "Take a first look: open the spaces of your site and read what colleagues share. "
            "Nothing you do is public until you post."
        ),
        message=_(
            "Hello {name}, the network is open to you. It is where colleagues share news, questions and "
            "know-how. Have a look at the spaces of your site when you have five minutes: reading commits "
            "you to nothing."
        ),
        action=_(
            "Introduce the network in a few words: why it was set up, what it is for in their team, "
            "and who answers questions."
        ),
        resource_label=_("How Bascule measures adoption, and what stays private"),
        resource_url=reverse_lazy("accompaniment:transparency"),
    ),
    Stage.DISCOVERY: PlaybookDefault(
        suggestion=_(
            "Complete your profile, join two spaces close to your work and follow a few colleagues of "
            "your site: your home page will fill with what matters to you."
        ),
        message=_(
            "Welcome, {name}! To make the network useful from the start, join two spaces close to your "
            "work and complete your profile so that colleagues find you."
        ),
        action=_(
            "Welcome them: offer a fifteen-minute tour and point to two spaces that fit their job."
        ),
        resource_label=_("Browse the spaces"),
        resource_url=reverse_lazy("network:directory"),
    ),
    Stage.PARTICIPATION: PlaybookDefault(
        suggestion=_(
            "React to a post that helped you, or answer a question you know about: it is the easiest "
            "first contribution, and it helps a colleague right away."
        ),
        message=_(
            "Hello {name}, some questions in your spaces are waiting for an answer. If one of them is "
            "in your field, a few words from you would help a colleague."
        ),
        action=_(
            "Ask what they look for in their daily work, and show them a question or a space where "
            "their know-how is awaited."
        ),
        resource_label=_("Questions waiting for an answer"),
        resource_url=reverse_lazy("feed:questions"),
    ),
    Stage.CONTRIBUTION: PlaybookDefault(
        suggestion=_(
            "Keep sharing what you know: tag your posts, keep your profile up to date so that colleagues "
            "find you, and mention the people a post concerns."
        ),
        message=_(
            "Thank you for what you share, {name}. Tag your posts and keep your profile up to date: "
            "colleagues looking for your know-how will find you more easily."
        ),
        action=_(
            "Help them choose where to publish and whom to reach; recognise a post that was useful."
        ),
        resource_label=_("Edit my profile"),
        resource_url=reverse_lazy("people:profile_edit"),
    ),
    Stage.PROMOTION: PlaybookDefault(
        suggestion=_(
            "You bring others along: invite a colleague to a space, recognise a useful contribution, "
            "or become an ambassador for your site."
        ),
        message=_(
            "Thank you, {name}: you help the network live. Would you like to go further? Ambassadors "
            "help colleagues of their site take their first steps."
        ),
        action=_(
            "Thank them, and propose the ambassador program or co-hosting a space."
        ),
        resource_label=_("Who can help me: referents and ambassadors"),
        resource_url=reverse_lazy("programs:help"),
    ),
    Stage.DISAPPOINTMENT: PlaybookDefault(
        suggestion=_(
            "Things have moved since your last visit: see what is new in your spaces. If something was "
            "missing or did not work for you, tell your referent."
        ),
        message=_(
            "Hello {name}, we have not seen you on the network for a while. If something was missing, "
            "your referent would like to know; and your spaces have news waiting for you."
        ),
        action=_(
            "Ask, without judging, what was missing; offer an easy way back (one space, one question) "
            "and pass their feedback on to the referent."
        ),
        resource_label=_("Tell your referent what was missing"),
        resource_url=reverse_lazy("programs:request_create"),
    ),
}
