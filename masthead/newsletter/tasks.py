"""Background tasks: they carry ids only, re-read state and call a service."""

from django_tasks import task

from masthead.newsletter import sender


@task()
def edition_send(edition_id):
    """Send an edition's due rows until none is left for this worker.

    Rows waiting for a retry, and rows of a worker that died, are handed out again by
    the periodic check in `masthead worker` (services.editions_redispatch).
    """
    return sender.edition_drain(edition_id=edition_id)
