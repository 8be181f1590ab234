from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The header search (issue 16 §3): one page over what the user may see, grouped by kind.

    Apps add a group by naming a function on their AppConfig (`search_groups = ["<app>.search.name"]`),
    as they add home panels; `stations` cannot import the apps above it (DESIGN §2).
    """

    name = "stations.search"
    label = "stations_search"
    verbose_name = _("搜索")
