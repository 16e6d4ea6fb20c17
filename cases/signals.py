"""Domain events other apps listen to (cases never imports them).

``stay_registered`` is sent by the service that registers a stay, inside its transaction, with
``stay`` and ``acting_user``: the minors app opens a minor case from it.

``stays_registered`` is sent instead by the service that registers many stays at once (the
ledger import), inside its transaction, with ``stays`` (saved, in order) and ``acting_user``: a
listener of one event listens to both, and handles the batch at once.
"""

from django.dispatch import Signal

stay_registered = Signal()
stays_registered = Signal()
