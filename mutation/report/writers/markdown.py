"""(being written: the markdown report writer)"""

from mutation.errors import FormatUnavailable


def render(document):
    raise FormatUnavailable("not built yet")
