"""Report classes and their registry."""

from dataclasses import dataclass, field

from django.http import Http404, QueryDict

REGISTRY: dict[str, type["Report"]] = {}


@dataclass
class ReportFile:
    content: bytes
    filename: str
    content_type: str
    row_count: int | None = None
    filters: dict = field(default_factory=dict)


class Report:
    """A downloadable document. Subclasses set the attributes and implement `build`.

    `build` receives the requesting user and the query parameters; it must fetch everything
    through scoped selectors (an out-of-scope id raises Http404) and return a ReportFile.
    """

    slug: str = ""
    title: str = ""
    capability: str = ""
    # True when the file names people: then the download is logged with the filters and row count.
    names_people: bool = False
    requires_reason: bool = False
    # URL name of the report's own page (a named, encrypted export with filters and a reason): the generic
    # download view sends the user there and the job queue refuses the report.
    export_page: str = ""

    def build(self, *, user, params: QueryDict) -> ReportFile:  # pragma: no cover - abstract
        raise NotImplementedError

    def requires_reason_for(self, user) -> bool:
        return self.requires_reason


def register(cls: type[Report]) -> type[Report]:
    if not cls.slug or (cls.slug in REGISTRY and REGISTRY[cls.slug] is not cls):
        raise ValueError(f"report slug missing or taken: {cls.slug!r}")
    REGISTRY[cls.slug] = cls
    return cls


def get_report(slug: str) -> Report:
    try:
        return REGISTRY[slug]()
    except KeyError as exc:
        raise Http404("no such report") from exc
