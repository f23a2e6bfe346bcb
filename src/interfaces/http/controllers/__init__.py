"""The route handlers, one controller per resource."""

from interfaces.http.controllers.auth import AuthController
from interfaces.http.controllers.bulk import BulkController
from interfaces.http.controllers.categories import CategoryController
from interfaces.http.controllers.health import HealthController
from interfaces.http.controllers.jobs import JobController
from interfaces.http.controllers.tasks import TaskController

CONTROLLERS = (
    AuthController,
    CategoryController,
    TaskController,
    BulkController,
    JobController,
    HealthController,
)

__all__ = ["CONTROLLERS"]
