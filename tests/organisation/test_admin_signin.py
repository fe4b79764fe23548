"""Admin sign-in resists guessing: repeated failures lock out by account and by client address."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "Right-Horse-Battery-5521"


@pytest.fixture
def admin_account(settings) -> User:
    settings.AXES_FAILURE_LIMIT = 5
    return User.objects.create_superuser("root", "root@example.com", PASSWORD)


def sign_in(client: Client, username: str, password: str, address: str = "198.51.100.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_right_password_signs_in(client, admin_account):
    response = sign_in(client, "root", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_few_wrong_passwords_do_not_lock_out(client, admin_account):
    for _ in range(4):
        assert sign_in(client, "root", "wrong").status_code == 200
    assert sign_in(client, "root", PASSWORD).status_code == 302


def test_after_the_limit_even_the_right_password_is_refused_for_the_account(client, admin_account):
    statuses = [sign_in(client, "root", f"guess-{i}").status_code for i in range(6)]
    assert statuses[:4] == [200] * 4 and statuses[-1] == 429
    # From another address too: the account itself is paused.
    response = sign_in(Client(), "root", PASSWORD, address="203.0.113.9")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Sign-in paused" in body and "15 minutes" in body
    assert PASSWORD not in body and "guess-" not in body


def test_one_client_guessing_many_accounts_is_paused(client, admin_account):
    for i in range(5):
        sign_in(client, f"user{i}", "wrong")
    assert sign_in(client, "root", PASSWORD).status_code == 429
    # Another client still signs in to the same account.
    assert sign_in(Client(), "root", PASSWORD, address="192.0.2.44").status_code == 302


def test_the_documented_unlock_lifts_the_pause(client, admin_account):
    for i in range(6):
        sign_in(client, "root", f"guess-{i}")
    assert sign_in(Client(), "root", PASSWORD, address="203.0.113.9").status_code == 429
    call_command("axes_reset_username", "root")
    call_command("axes_reset_ip", "198.51.100.7")
    assert sign_in(client, "root", PASSWORD).status_code == 302


def test_the_failure_records_keep_no_password(client, admin_account):
    from axes.models import AccessAttempt

    for i in range(3):
        sign_in(client, "root", f"Secret-guess-{i}")
    stored = " ".join(f"{a.post_data} {a.get_data}" for a in AccessAttempt.objects.all())
    assert "root" in stored and "Secret-guess" not in stored
