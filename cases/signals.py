"""Domain events other apps listen to (cases never imports them).

``stay_registered`` is sent by the service that registers a stay, inside its transaction, with
``stay`` and ``acting_user``: the minors app opens a minor case from it.
"""

from django.dispatch import Signal

stay_registered = Signal()
