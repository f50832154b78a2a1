# Copied by specgen from generator/runtime/server/limits.py, the same in every API. Do not edit by hand.
"""Every limit the API puts on a request, in one place: the code enforces these, the docs quote them.

A request over a limit is refused with a clear 4xx and the usual error array (``data.limit``
holds the limit) long before it could cost the server much: SQLite has its own limits
(expression depth, terms of an ORDER BY), and a request must meet ours first. What no limit
on the request's text can bound (the time a query takes, how many run at once, how long a
client takes to send) is bounded by the budgets and lanes below: 503 with ``Retry-After``.
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
MAX_PATTERN = 512  # characters of a regular expression (matches); RE2 syntax, matched in linear time
MAX_PATTERN_MEMORY = 1 << 20  # bytes RE2 may use for one compiled expression; a larger one is refused (400)
MAX_PATTERN_PROGRAM = 500  # RE2 instructions of one expression (400 past it): with the next, one search < ~0.2 s
MAX_MATCH_TEXT = 64 * 1024  # bytes of each value a regular expression reads (its first 64 KiB)

# Request bodies of create and update (413): far above any object of the specs, far below what would hurt.
MAX_BODY = 1 << 20  # 1 MiB

# What a response may hold.
MAX_RESPONSE_BYTES = 16 << 20  # characters of JSON in one page of a list; past it 400, with the page size that fits
MAX_SENDING = 256 << 20  # bytes of answers made and not yet read by their clients; past it 503
MAX_ERRORS = 20  # error objects in one error array; one more says how many were left out
MAX_ERROR_TEXT = 1000  # characters of one error's description (or data value), clipped with an ellipsis
MAX_LOGGED_BODY = 4096  # characters of a refused write's body kept in its activity, marked when cut

# Capped logs keep their newest entries up to their cap in entries (the spec's cap) and in
# bytes of stored values (this default), whichever is reached first: specgen serve --cap-bytes.
DEFAULT_CAP_BYTES = 1 << 30  # 1 GiB

# Store work runs off the event loop, in lanes of worker threads (work.py): lists, reads of one
# object, writes. A lane runs WORKERS requests at once and lets QUEUE more wait; past that, a
# request waits up to LANE_PATIENCE for a place, then gets 503. Each request may use BUDGET
# seconds from admission (queueing included); past it SQLite stops the query and the answer is
# 503. Both 503s carry Retry-After.
BUDGET = 2.0  # seconds
LANE_PATIENCE = 0.5  # seconds
LIST_WORKERS, LIST_QUEUE = 2, 64
READ_WORKERS, READ_QUEUE = 4, 64
WRITE_WORKERS, WRITE_QUEUE = 1, 32
RETRY_AFTER = 1  # seconds
PROGRESS_STEPS = 10_000  # SQLite virtual-machine steps between two looks at the budget
BUSY_TIMEOUT = 2.0  # seconds a write waits while another process (specgen load) writes; then 503

# Connections, as specgen serve runs uvicorn (serving.py).
MAX_CONNECTIONS = 1024  # open at once; past it the longest-waiting idle one is closed, or the new one
HEAD_TIMEOUT = 10.0  # seconds to send a whole request head, from connecting or from the previous answer
BODY_TIMEOUT = 30.0  # seconds to send a request body (408)
SEND_TIMEOUT = 30.0  # seconds a client may leave an answer unread before its connection is dropped
KEEP_ALIVE = 5  # seconds an idle connection is kept open between requests
SHUTDOWN_TIMEOUT = 5.0  # seconds a stopping server waits for answers in progress; then it stops their work

# A namespace, wherever one is given (X-Namespace, a tokens file, an object).
MAX_NAMESPACE_LENGTH = 1024

# A token of a tokens file: at least this many characters (RFC 6750 token characters only).
MIN_TOKEN_LENGTH = 16
