"""The development identity provider: a real OpenID provider over HTTP with invented test
persons, for `make run` and the test suite. Enabled only by SAMVIRKE_DEV_IDP_ENABLED."""
