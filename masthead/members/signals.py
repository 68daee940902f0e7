"""Events about members that other apps act on, so members never reaches into their models.

member_erasing(sender=Member, member=...): sent inside the erasure transaction, before the
    member row is deleted. Receivers remove or anonymise what they keep about the member.
member_data_requested(sender=Member, member=...): receivers return a dict of
    {section name: JSON-serialisable data} for the member's data download.
"""

from django.dispatch import Signal

member_erasing = Signal()
member_data_requested = Signal()
