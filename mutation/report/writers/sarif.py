"""(being written: the sarif report writer)"""

from mutation.errors import FormatUnavailable


def render(document):
    raise FormatUnavailable("not built yet")
