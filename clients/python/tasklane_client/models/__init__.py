"""Contains all the data models used in inputs/outputs"""

from .bulk_create_request import BulkCreateRequest
from .bulk_create_response import BulkCreateResponse
from .bulk_item_error import BulkItemError
from .category_create_request import CategoryCreateRequest
from .category_page_response import CategoryPageResponse
from .category_response import CategoryResponse
from .category_update_request import CategoryUpdateRequest
from .database_response import DatabaseResponse
from .field_error import FieldError
from .job_response import JobResponse
from .list_tasks_priority import ListTasksPriority
from .list_tasks_sort import ListTasksSort
from .login_request import LoginRequest
from .pool_response import PoolResponse
from .priority import Priority
from .problem import Problem
from .process_request import ProcessRequest
from .register_request import RegisterRequest
from .status_response import StatusResponse
from .task_create_request import TaskCreateRequest
from .task_page_response import TaskPageResponse
from .task_response import TaskResponse
from .task_update_request import TaskUpdateRequest
from .token_response import TokenResponse
from .user_response import UserResponse

__all__ = (
    "BulkCreateRequest",
    "BulkCreateResponse",
    "BulkItemError",
    "CategoryCreateRequest",
    "CategoryPageResponse",
    "CategoryResponse",
    "CategoryUpdateRequest",
    "DatabaseResponse",
    "FieldError",
    "JobResponse",
    "ListTasksPriority",
    "ListTasksSort",
    "LoginRequest",
    "PoolResponse",
    "Priority",
    "Problem",
    "ProcessRequest",
    "RegisterRequest",
    "StatusResponse",
    "TaskCreateRequest",
    "TaskPageResponse",
    "TaskResponse",
    "TaskUpdateRequest",
    "TokenResponse",
    "UserResponse",
)
