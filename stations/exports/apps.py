from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """The export framework (registry, Excel writer, PDF renderer, download view): a model-less app.

    It is an app so that its templates (`stations/pdf/base.html`, the reason page) and tests live here.
    Report classes live in the apps that own them and register with `stations.exports.register`.
    """

    name = "stations.exports"
    label = "stations_exports"
    verbose_name = _("导出")
