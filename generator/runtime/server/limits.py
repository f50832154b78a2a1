"""Every limit the API puts on a request, in one place: the code enforces these, the docs quote them.

A request over a limit is refused with a clear 4xx and the usual error array (``data.limit``
holds the limit) long before it could cost the server much: SQLite has its own limits
(expression depth, terms of an ORDER BY), and a request must meet ours first.
"""

from __future__ import annotations

# The request head, checked before routing (414 for the path or query, 431 for headers).
MAX_PATH_BYTES = 2048  # the path as sent (percent-encoded), without the query string
MAX_QUERY_BYTES = 16 * 1024  # the query string as sent; one filter is at most MAX_FILTER_LENGTH characters
MAX_HEADERS = 64  # header fields
MAX_HEADER_BYTES = 8 * 1024  # one header's value
MAX_HEADERS_BYTES = 32 * 1024  # all header names and values together
# Above the sum of the limits above, with room for the request line. A server in front must let
# this much through, so that the answer is the app's JSON error rather than its own.
MAX_REQUEST_HEAD = 64 * 1024

# Query parameters (400).
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_PAGE = 10**9
MAX_PARAMETERS = 64  # query parameters in all, repeats included
MAX_FILTERS = 16  # q parameters
MAX_ORDER_KEYS = 8  # order parameters

# One filter (a q parameter) of the filter language (400).
MAX_FILTER_LENGTH = 4096  # characters
MAX_FILTER_DEPTH = 32  # nested parentheses
MAX_COMPARISONS = 128
MAX_LIST_ITEMS = 1000  # values of one [a, b, ...] list
MAX_PATTERN = 512  # characters of a regular expression (matches)

# Request bodies of create and update (413): far above any object of the specs, far below what would hurt.
MAX_BODY = 1 << 20  # 1 MiB

# A namespace, wherever one is given (X-Namespace, a tokens file, an object).
MAX_NAMESPACE_LENGTH = 1024
