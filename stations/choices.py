"""The spine's two enumerations, apart so that `models` and `roles` both import them and not each other."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市/地")
    COUNTY = "county", _("县/区/分局")
    SYSTEM = "system", _("行业系统")  # non-territorial: railway, forest, state-farm systems (seed 000)


class Role(models.TextChoices):
    """The roles of DESIGN §1 (`User.role`); `stations.roles.Role` and `stations.models.Role` are this class."""

    STATION_STAFF = "station_staff", _("站内录入员")
    STATION_HEAD = "station_head", _("站长")
    COUNTY_OFFICER = "county_officer", _("县级关工委")
    CITY_OFFICER = "city_officer", _("市级关工委")
    PROVINCE_OFFICER = "province_officer", _("省关工委")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
