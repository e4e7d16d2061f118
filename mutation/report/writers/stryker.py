"""(being written: the stryker report writer)"""

from mutation.errors import FormatUnavailable


def render(document):
    raise FormatUnavailable("not built yet")
