"""Access-matrix entries of the header search (see tests/access.py): station and supervising roles;
the administrators see none of the kinds it covers."""

from tests.access import STATION, SUPERVISORS, Entry

ENTRIES = {"search:results": Entry(allowed=STATION | SUPERVISORS)}
