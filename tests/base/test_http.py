"""Which address the survey-link limiter counts: the client's, also behind trusted proxies."""

from __future__ import annotations

from django.test import RequestFactory

from nastavnik.base.http import client_address


def request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/a/x/", REMOTE_ADDR=remote, **extra)


def test_without_a_proxy_the_address_is_the_peer(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request("10.1.1.1", "192.0.2.1")) == "10.1.1.1"


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    assert client_address(request("127.0.0.1", "192.0.2.1")) == "192.0.2.1"
    assert client_address(request("::1", "192.0.2.1")) == "192.0.2.1"


def test_entries_written_by_the_client_are_not_believed(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    # The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it really saw.
    assert client_address(request("127.0.0.1", "1.2.3.4, 192.0.2.1")) == "192.0.2.1"


def test_a_chain_of_trusted_proxies_given_as_networks_is_skipped(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert client_address(request("127.0.0.1", "192.0.2.1, 10.0.0.5")) == "192.0.2.1"


def test_a_trusted_proxy_without_the_header_counts_as_itself(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request("127.0.0.1")) == "127.0.0.1"
    assert client_address(request("127.0.0.1", "not-an-address, 127.0.0.1")) == "not-an-address"
