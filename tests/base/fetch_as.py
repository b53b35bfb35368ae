"""Fetch one page of the instance of the environment (the restored one) as a signed-in user,
through the real URLs, middleware and views:

    python -m tests.base.fetch_as USERNAME PATH OUTPUT

prints the status code and writes the body (a streamed file included) to OUTPUT."""

from __future__ import annotations

import sys
from pathlib import Path


def fetch_as(username: str, path: str) -> tuple[int, bytes]:
    from django.contrib.auth import get_user_model
    from django.http import StreamingHttpResponse
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(path)
    # A FileResponse (the private file streamed) is read to its end.
    body = b"".join(response) if isinstance(response, StreamingHttpResponse) else response.content
    response.close()
    return response.status_code, body


if __name__ == "__main__":
    import django

    django.setup()
    username, path, output = sys.argv[1:4]
    status, body = fetch_as(username, path)
    Path(output).write_bytes(body)
    print(status)
