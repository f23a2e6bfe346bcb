"""``litestar database ...`` (alias ``db``): advanced-alchemy's migration commands, without
its init plugin.

The commands were the only part of ``SQLAlchemyInitPlugin`` the app used: its session
dependencies, session-closing hook, state keys and type encoders serve no handler here
(units of work hold their own connections and commit themselves). Importing the plugin
imports advanced-alchemy's whole Litestar extension, and with it Alembic, Mako and
Pygments: about 10 MiB and 150 modules in every process that builds the app, the serving
one included, which never migrates. The group below is advanced-alchemy's own (its
``database_group``, rebuilt: same name, alias, help and commands); the commands import
Alembic when they run, and the migration config is built then.
"""

import click
from advanced_alchemy.cli import add_migration_commands

# advanced-alchemy's group decorator: importing it teaches click's groups, the CLI's root
# among them, to resolve a sub-group's aliases (`litestar db ...`).
from advanced_alchemy.utils.cli_tools import group

# Litestar's group class: commands get the app and the CLI environment injected, and help
# renders like the rest of the CLI (advanced-alchemy's group is one too).
from litestar.cli._utils import LitestarGroup
from litestar.plugins import CLIPluginProtocol
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure.settings import Settings

DATABASE_GROUP = "database"


class MigrationCommands(CLIPluginProtocol):
    """Adds the ``database`` group, migrating through the app's ``engine``."""

    def __init__(self, settings: Settings, engine: AsyncEngine) -> None:
        self._settings = settings
        self._engine = engine

    def on_cli_init(self, cli: click.Group) -> None:
        cli.add_command(self._group())

    def _group(self) -> click.Group:
        settings, engine = self._settings, self._engine

        @group(cls=LitestarGroup, name=DATABASE_GROUP, aliases=["db"])
        def database() -> None:
            """Manage SQLAlchemy database components."""
            # Imported when a command runs: the config is advanced-alchemy's Litestar
            # extension's (see the module's docstring).
            from infrastructure.persistence.sqlalchemy.config import sqlalchemy_config

            # What advanced-alchemy's group does: its commands find the configs here.
            context = click.get_current_context()
            context.obj = {"app": context.obj, "configs": [sqlalchemy_config(settings, engine)]}

        add_migration_commands(database)
        return database
