"""Background work that belongs to no single app."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task
def email_send(*, subject: str, body: str, to: list[str], html: str | None = None) -> None:
    """Send one e-mail. Enqueued on commit so nothing is sent for a rolled-back act."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
