"""The JWT secret test apps sign with: given explicitly, so no test writes a data directory."""

TEST_JWT_SECRET = "tasklane-tests-only-" + "0123456789abcdef" * 3  # 68 bytes: enough for HS512
