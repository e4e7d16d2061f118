"""An incremental decoder of server-sent events (the `text/event-stream` format).

`SSEDecoder.feed(chunk)` takes bytes exactly as they arrive from the network, split anywhere
(inside a multi-byte UTF-8 character, between a CR and its LF), and returns the events
completed by that chunk; `close()` ends the stream. Lines end with LF, CRLF or CR; lines
starting with ":" are comments; `data` lines of one event are joined with "\\n"; one space
after the colon is dropped; an event is dispatched on a blank line, and only if it has data;
fields other than `event` and `data` (`id`, `retry`, unknown ones) are ignored. A leading
byte-order mark is skipped. Bytes that are not UTF-8 raise `ValueError`.

Unlike a browser, `close()` also delivers an event whose final blank line never came (the
connection closed right after its last line): the provider adapters then judge whether the
stream was complete.
"""

import codecs
import re
from dataclasses import dataclass

_BOM = "\ufeff"
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class SSEEvent:
    """One dispatched event: its `event` field (None when absent or empty) and its data."""

    event: str | None
    data: str


class SSEDecoder:
    """Turns a byte stream into `SSEEvent`s, one chunk at a time."""

    def __init__(self):
        self._utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        self._line = ""
        self._started = False
        self._after_cr = False
        self._closed = False
        self._event = None
        self._data = []

    def __repr__(self):
        return f"SSEDecoder(pending_lines={len(self._data)}, closed={self._closed})"

    def feed(self, chunk):
        """The events completed by `chunk` (bytes), in order."""
        if self._closed:
            raise ValueError("SSE decoder is closed: no more chunks can be fed")
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise TypeError(f"SSE chunk must be bytes, not {type(chunk).__name__}")
        return self._consume(self._decode(bytes(chunk), False))

    def close(self):
        """End of stream: the events still pending (a last line without its terminator counts)."""
        if self._closed:
            return []
        text = self._decode(b"", True)
        self._closed = True
        events = self._consume(text)
        if self._line:
            self._end_line()
        return self._collect(self._dispatch(), events)

    def _decode(self, data, final):
        try:
            text = self._utf8.decode(data, final)
        except UnicodeDecodeError as error:
            self._closed = True
            raise ValueError(f"malformed UTF-8 in event stream: {error.reason}") from None
        if not self._started and text:
            self._started = True
            text = text.removeprefix(_BOM)
        return text

    def _consume(self, text):
        if not text:
            return []
        if self._after_cr and text[0] == "\n":
            text = text[1:]
        # A CR ending this piece may be the first half of a CRLF split across chunks.
        self._after_cr = text.endswith("\r")
        events = []
        start = 0
        for match in _LINE_END.finditer(text):
            self._line += text[start : match.start()]
            self._collect(self._end_line(), events)
            start = match.end()
        self._line += text[start:]
        return events

    def _collect(self, event, events):
        if event is not None:
            events.append(event)
        return events

    def _end_line(self):
        line = self._line
        self._line = ""
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._data.append(value)
        elif field == "event":
            self._event = value or None
        return None

    def _dispatch(self):
        data, event = self._data, self._event
        self._data, self._event = [], None
        if not data:
            return None
        return SSEEvent(event=event, data="\n".join(data))
