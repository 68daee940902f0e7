"""Django's PostgreSQL backend, with a health check that costs no round trip when the
connection is healthy (see base.DatabaseWrapper). ENGINE = "masthead.core.postgresql"."""
