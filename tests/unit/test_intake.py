"""How the web worker's event loop tells that a request has arrived whole (infra.web.intake)."""

from __future__ import annotations

import pytest

from infra.web.intake import _chunked_end, _headers, error_answer

HEAD = b"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"


@pytest.mark.parametrize(("body", "whole"), [
    (b"", False),
    (b"5\r\nhel", False),
    (b"5\r\nhello\r\n", False),
    (b"5\r\nhello\r\n0\r\n", False),
    (b"5\r\nhello\r\n0\r\n\r\n", True),
    (b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: t\r\n\r\n", True),
    (b"zz\r\nnot chunked", True),  # not its framing: nothing to wait for, gunicorn refuses it
])
def test_a_chunked_body_is_whole_at_its_last_chunk_and_trailers(body, whole):
    data = bytearray(HEAD + body)
    end, _next = _chunked_end(data, len(HEAD))
    assert (end is not None) == whole


def test_a_chunked_body_read_piece_by_piece_resumes_where_it_stopped():
    data, at = bytearray(HEAD), len(HEAD)
    for piece in (b"5\r\nhel", b"lo\r\n6\r\n wor", b"ld\r\n0\r\n", b"\r\n"):
        data += piece
        end, at = _chunked_end(data, at)
    assert end == len(data)


def test_headers_are_read_case_blind_each_with_all_its_values():
    headers = _headers(b"GET / HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 3\r\nExpect:100-continue")
    assert headers[b"content-length"] == [b"2", b"3"] and headers[b"expect"] == [b"100-continue"]


def test_its_own_refusals_are_json_in_polish_and_close_the_connection():
    answer = error_answer(408)
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n")
    assert "nie dotarło w całości".encode() in answer
