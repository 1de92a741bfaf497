import pytest

from app.auth import check_password, make_token

FAKE_TOKEN = "fake-token-for-tests"
FAKE_PASSWORD = "correct horse battery staple"


@pytest.fixture
def api_key() -> str:
    return "test_api_key_123"


def test_check_password():
    assert check_password("hunter2", "hunter2")
    assert not check_password("hunter2", "*******")


def test_make_token(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "not-secret")
    token = make_token(user_id="u-1")
    assert token.count(".") == 2


def test_openai_key_redacted():
    assert redact("sk-proj-abc") == "sk-p…abc"
