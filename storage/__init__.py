"""Storage: the models, the repository, the sweep's store, migrations.

`storage.installs` (the OAuth tables) is imported here so that `storage.models.Base.metadata` always
knows every table, whichever storage module is imported first.
"""

from storage import installs as installs
