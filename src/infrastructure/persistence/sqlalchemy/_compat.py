"""Import advanced-alchemy once, without the deprecation warning it trips in SQLAlchemy 2.1."""

import warnings

from sqlalchemy.exc import SADeprecationWarning

# advanced-alchemy 1.12 still decorates mixins (ORM and Litestar session) with
# `declarative_mixin`, which SQLAlchemy 2.1 deprecates at import time; under
# `-W error` that import would fail.
# Later imports reuse the loaded modules and warn no more.
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="The declarative_mixin decorator", category=SADeprecationWarning
    )
    import advanced_alchemy.alembic.commands
    import advanced_alchemy.base
    import advanced_alchemy.extensions.litestar
    import advanced_alchemy.types  # noqa: F401
