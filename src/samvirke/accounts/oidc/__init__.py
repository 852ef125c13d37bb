"""Citizen and business login with eID (ID-porten, BankID, Freja) over OpenID Connect.

`providers` reads the configured providers, `flow` runs the authorization code flow with
PKCE, `id_token` verifies what the provider signed, `views` are the pages. See docs/eid.md.
"""
