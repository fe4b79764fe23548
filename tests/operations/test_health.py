"""/healthz and /readyz: answered before host checks, JSON per part, unready when a part is down."""
from __future__ import annotations

import pytest


def test_healthz_answers_without_touching_anything(client) -> None:
    response = client.get("/healthz", HTTP_HOST="10.1.2.3")   # a load balancer polls by address
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_each_part(client) -> None:
    response = client.get("/readyz", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["parts"]) == {"database", "cache", "content", "trust_store"}
    assert all(part["ok"] for part in body["parts"].values())
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_unready_when_the_cache_is_unreachable(client, redis_cache) -> None:
    assert client.get("/readyz").status_code == 200
    redis_cache.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unready"
    assert body["parts"]["cache"]["ok"] is False
    assert body["parts"]["database"]["ok"] is True
    redis_cache.start()
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_pages_still_answer_while_the_cache_is_down(client, redis_cache) -> None:
    redis_cache.stop()
    assert client.get("/learn/").status_code == 200
    assert client.post("/api/v1/diagnose", {"text": "x"}, content_type="application/json").status_code == 200


def test_readyz_is_unready_without_database_access(client) -> None:
    # No django_db mark: the test runner refuses database access, as a database that is down would.
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["parts"]["database"]["ok"] is False


def test_healthz_is_not_redirected_to_https(client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/learn/").status_code == 301
