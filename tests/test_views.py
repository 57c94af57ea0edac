from django.urls import reverse

from regions.models import Membership, User

from .conftest import sv


def test_login_page_is_swedish_and_labelled(client):
    page = client.get(reverse("login"))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="sv">' in html
    assert sv("Log in") in html
    assert 'for="id_username"' in html and 'for="id_password"' in html


def test_english_is_available(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html and "Log in" in html


def test_home_requires_login(client, db):
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_wrong_password_gives_a_swedish_error_not_a_500(client, db):
    User.objects.create_user("anna", password="rätt-lösenord-2021")
    page = client.post(reverse("login"), {"username": "anna", "password": "fel"})
    assert page.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in page.content.decode()


def test_home_lists_the_users_roles(client, region):
    user = User.objects.create_user("anna", password="rätt-lösenord-2021")
    Membership.objects.create(user=user, region=region, role=Membership.Role.AUDITOR)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "Region Norrbotten" in html and sv("auditor") in html


def test_health_reports_the_database(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    # The tests run Celery eagerly, as the demo does: there is no broker to ask.
    assert response.json() == {"database": "ok", "broker": "not used"}


def test_the_accounts_language_is_used_after_login(client, db):
    user = User.objects.create_user("erik", password="rätt-lösenord-2021", language="en")
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html and "Welcome, erik" in html


def test_switching_language_is_kept_on_the_account(client, db):
    user = User.objects.create_user("erik", password="rätt-lösenord-2021", language="en")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    user.refresh_from_db()
    assert user.language == "sv"
    assert '<html lang="sv">' in client.get(reverse("home")).content.decode()


def test_an_unknown_language_changes_nothing(client, db):
    user = User.objects.create_user("erik", password="rätt-lösenord-2021")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "sv"
