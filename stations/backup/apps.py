from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """Backup and restore (REL-1): the archive format and the `backup` / `restore` commands.

    A model-less app inside `stations`, so that its commands and tests live in this folder.
    """

    name = "stations.backup"
    label = "stations_backup"
    verbose_name = _("备份与恢复")
