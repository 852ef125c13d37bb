"""Provider configuration from the environment, and assurance levels."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from joserfc.jwk import RSAKey

from samvirke.accounts.oidc.levels import Level, parse_acr_mapping, parse_level
from samvirke.accounts.oidc.providers import (
    DevEidProvider,
    EidProvider,
    all_providers,
    eid_provider_kinds,
)


def test_levels_are_ordered():
    assert Level.SUBSTANTIAL < Level.HIGH
    assert parse_level("idporten-loa-high") is Level.HIGH
    assert parse_level("substantial") is Level.SUBSTANTIAL
    assert parse_level("Level4") is None


def test_acr_mapping():
    assert parse_acr_mapping("") == {
        "substantial": "idporten-loa-substantial",
        "high": "idporten-loa-high",
    }
    assert parse_acr_mapping("high=urn:x:high") == {"high": "urn:x:high"}
    with pytest.raises(ImproperlyConfigured):
        parse_acr_mapping("medium=urn:x")


def test_providers_from_the_environment(monkeypatch, tmp_path, settings):
    key_file = tmp_path / "client.pem"
    key_file.write_bytes(RSAKey.generate_key(2048).as_pem(private=True))
    monkeypatch.setenv("SAMVIRKE_OIDC_PROVIDERS", "idporten,freja")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_ISSUER", "https://idporten.no/")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_CLIENT_ID", "abc")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_PRIVATE_KEY_FILE", str(key_file))
    monkeypatch.setenv("SAMVIRKE_OIDC_FREJA_ISSUER", "https://freja.example/")
    monkeypatch.setenv("SAMVIRKE_OIDC_FREJA_CLIENT_ID", "def")
    monkeypatch.setenv("SAMVIRKE_OIDC_FREJA_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("SAMVIRKE_OIDC_FREJA_ACR_VALUES", "high=urn:freja:loa3")
    monkeypatch.setenv("SAMVIRKE_OIDC_FREJA_PID_CLAIM", "personal_number")
    monkeypatch.setenv("SAMVIRKE_OIDC_FREJA_SCOPES", "profile")
    providers = all_providers()
    assert list(providers) == ["idporten", "freja", "dev"]
    idporten, freja = providers["idporten"], providers["freja"]
    assert idporten.token_endpoint_auth_method == "private_key_jwt"
    assert idporten.private_key().as_dict()["kty"] == "RSA"
    assert freja.token_endpoint_auth_method == "client_secret_basic"
    assert freja.scopes == ("openid", "profile")
    # Freja offers only high: asked for substantial, we ask for high
    assert freja.acr_value_for(Level.SUBSTANTIAL) == "urn:freja:loa3"
    assert freja.level_for("urn:freja:loa3") is Level.HIGH
    assert freja.national_id_from({"personal_number": "123"}) == "123"
    assert "s3cret" not in repr(freja)

    settings.SAMVIRKE_DEV_IDP_ENABLED = False
    assert "dev" not in all_providers()


def test_incomplete_configuration_stops_start_up(monkeypatch):
    monkeypatch.setenv("SAMVIRKE_OIDC_PROVIDERS", "bankid")
    monkeypatch.setenv("SAMVIRKE_OIDC_BANKID_ISSUER", "https://bankid.example/")
    with pytest.raises(ImproperlyConfigured):
        all_providers()


def test_a_provider_kind_is_a_plugin_chosen_by_its_identifier(monkeypatch):
    assert eid_provider_kinds["oidc"] is EidProvider
    assert eid_provider_kinds["dev"] is DevEidProvider

    class UpperCaseIds(EidProvider):
        verbose_name = _("Upper-case identity numbers")

        def national_id_from(self, claims):
            return str(claims["pid"]).upper()

    monkeypatch.setenv("SAMVIRKE_OIDC_PROVIDERS", "freja")
    monkeypatch.setenv("SAMVIRKE_OIDC_FREJA_ISSUER", "https://freja.example/")
    monkeypatch.setenv("SAMVIRKE_OIDC_FREJA_CLIENT_ID", "def")
    monkeypatch.setenv("SAMVIRKE_OIDC_FREJA_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("SAMVIRKE_OIDC_FREJA_KIND", "upper")
    with eid_provider_kinds.temporarily("upper", UpperCaseIds):
        freja = all_providers()["freja"]
        assert type(freja) is UpperCaseIds
        assert freja.national_id_from({"pid": "d123"}) == "D123"
    with pytest.raises(ImproperlyConfigured, match="Unknown eID provider kind 'upper'"):
        all_providers()
