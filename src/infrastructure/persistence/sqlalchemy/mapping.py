"""Rows to domain entities: trusted storage, so no re-validation."""

from typing import Any

from sqlalchemy import RowMapping

from domain.category import Category
from domain.ids import CategoryId, JobId, TaskId, UserId
from domain.job import Job, JobStatus
from domain.task import Priority, Task
from domain.user import User


def to_user(row: RowMapping | Any) -> User:
    """A ``users`` row as a ``User``."""
    return User(
        id=UserId(row["id"]),
        email=row["email"],
        password_hash=row["password_hash"],
        display_name=row["display_name"],
        created_at=row["created_at"],
        disabled_at=row["disabled_at"],
    )


def to_category(row: RowMapping | Any) -> Category:
    """A ``categories`` row as a ``Category``."""
    return Category(
        id=CategoryId(row["id"]),
        owner_id=UserId(row["user_id"]),
        name=row["name"],
        color=row["color"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def to_task(row: RowMapping | Any) -> Task:
    """A ``tasks`` row as a ``Task``."""
    category_id = row["category_id"]
    return Task(
        id=TaskId(row["id"]),
        owner_id=UserId(row["user_id"]),
        title=row["title"],
        description=row["description"],
        completed=bool(row["completed"]),
        priority=Priority(row["priority"]),
        due_at=row["due_at"],
        category_id=None if category_id is None else CategoryId(category_id),
        processed=bool(row["processed"]),
        processed_at=row["processed_at"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def to_job(row: RowMapping | Any) -> Job:
    """A ``jobs`` row as a ``Job``."""
    return Job(
        id=JobId(row["id"]),
        owner_id=UserId(row["user_id"]),
        status=JobStatus(row["status"]),
        task_ids=tuple(TaskId(i) for i in row["task_ids"]),
        processed=row["processed"],
        skipped=tuple(TaskId(i) for i in row["skipped"]),
        error=row["error"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
        attempts=row["attempts"],
    )
