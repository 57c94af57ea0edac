"""Two-step sign-in (TOTP) for local accounts: turned on by the user, then owed at
every password sign-in before any page opens."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from regions.models import Membership

from ..conftest import sv
from ..web import field_error, member, text

PASSWORD = "ett-långt-lösenord-2026"


@pytest.fixture
def anna(region):
    user = member(region, Membership.Role.AUDITOR, username="anna")
    user.set_password(PASSWORD)
    user.save()
    return user


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + offset
    return f"{totp.token():0{device.digits}d}"


def _password_sign_in(client: Client):
    return client.post(reverse("login"), {"username": "anna", "password": PASSWORD})


def _turn_on(client: Client) -> TOTPDevice:
    page = client.get(reverse("two-factor"))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    done = client.post(reverse("two-factor"), {"code": _code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_turning_it_on_needs_a_correct_code(db, anna):
    client = Client()
    _password_sign_in(client)
    client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get()
    page = client.post(
        reverse("two-factor"), {"code": "000000" if _code(device) != "000000" else "111111"}
    )
    assert sv("The code is wrong or has expired. Enter the code the app shows now.") in field_error(
        page, "id_code"
    )
    device.refresh_from_db()
    assert not device.confirmed
    page = client.post(reverse("two-factor"), {"code": "12ab56"})
    assert sv("The code is six digits.") in field_error(page, "id_code")


def test_a_password_sign_in_then_owes_a_code_before_any_page(db, anna):
    setup = Client()
    _password_sign_in(setup)
    device = _turn_on(setup)

    client = Client()
    signed = _password_sign_in(client)
    assert signed.status_code == 302
    # Every page leads to the code page until the code is given.
    for url in (reverse("home"), reverse("audit-list"), reverse("account")):
        page = client.get(url)
        assert page.status_code == 302
        assert page["Location"].startswith(reverse("two-factor-verify"))
    wrong = client.post(reverse("two-factor-verify"), {"code": "99999"})
    assert sv("Enter the six-digit code.") in field_error(wrong, "id_code")
    # The code just used to turn it on cannot be used again (replay); the next one can.
    done = client.post(
        reverse("two-factor-verify") + "?next=/audits/", {"code": _code(device, offset=30)}
    )
    assert done.status_code == 302
    assert done["Location"] == "/audits/"
    assert client.get(reverse("audit-list")).status_code == 200


def test_the_code_page_refuses_to_send_the_user_elsewhere(db, anna):
    setup = Client()
    _password_sign_in(setup)
    device = _turn_on(setup)
    client = Client()
    _password_sign_in(client)
    done = client.post(
        reverse("two-factor-verify") + "?next=https://evil.example/", {"code": _code(device, 30)}
    )
    assert done["Location"] == reverse("home")


def test_wrong_codes_are_throttled(db, anna):
    setup = Client()
    _password_sign_in(setup)
    device = _turn_on(setup)
    client = Client()
    _password_sign_in(client)
    wrong = "000000" if _code(device, 30) != "000000" else "111111"
    for _attempt in range(3):
        client.post(reverse("two-factor-verify"), {"code": wrong})
    # Even the right code waits now.
    page = client.post(reverse("two-factor-verify"), {"code": _code(device, 30)})
    assert sv("Too many wrong codes in a row. Wait a minute and try again.") in field_error(
        page, "id_code"
    )
    assert client.get(reverse("home")).status_code == 302


def test_without_two_step_the_password_is_enough(db, anna):
    client = Client()
    _password_sign_in(client)
    assert client.get(reverse("home")).status_code == 200
    page = text(client.get(reverse("account")))
    assert sv("Turn on two-step sign-in") in page


def test_turning_it_off_needs_a_current_code(db, anna):
    client = Client()
    _password_sign_in(client)
    device = _turn_on(client)
    page = client.post(reverse("two-factor-off"), {"code": ""})
    assert sv("Enter the six-digit code.") in field_error(page, "id_code")
    assert TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.post(reverse("two-factor-off"), {"code": _code(device, 30)}).status_code == 302
    assert not TOTPDevice.objects.exists()
    fresh = Client()
    _password_sign_in(fresh)
    assert fresh.get(reverse("home")).status_code == 200


def test_signing_out_from_the_code_page_ends_the_session(db, anna):
    setup = Client()
    _password_sign_in(setup)
    _turn_on(setup)
    client = Client()
    _password_sign_in(client)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
