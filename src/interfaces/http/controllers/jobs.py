"""Background processing: accepting jobs and reporting on them."""

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import RawBody

from application.idempotency import Reply
from application.jobs import submission as jobs
from domain.job import Job
from interfaces.http import errors, paths
from interfaces.http.bodies import StrictDecoder
from interfaces.http.dependencies import CallerDep, JobSettingsDep
from interfaces.http.idempotency import IdempotencyKey, json_reply, keyed_request, respond
from interfaces.http.openapi import AUTHENTICATED, BEARER, BY_ID, KEYED, documented
from interfaces.http.schemas.jobs import JobResponse, ProcessRequest

_process = StrictDecoder(ProcessRequest)


def _accepted(job: Job) -> Reply:
    # A replay answers this body as it was: the job as accepted. Its state now is at
    # Location, which is where a client polls anyway.
    return json_reply(202, JobResponse.of(job), location=f"/jobs/{job.id}")


class JobController(Controller):
    """``/tasks/process`` and ``/jobs``: others' jobs are 404."""

    tags = ["jobs"]
    security = BEARER

    @post(
        "/tasks/process",
        status_code=202,
        **documented(
            "processTasks",
            body=ProcessRequest,
            problems=(*AUTHENTICATED, errors.TOO_MANY_REQUESTS, *KEYED),
            headers=("Location",),
        ),
    )
    async def process_tasks(
        self,
        request: Request[Any, Any, Any],
        body: RawBody,
        me: CallerDep,
        job_settings: JobSettingsDep,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[JobResponse]:
        """Queue a job that marks the listed tasks processed; it is stored before 202.
        429 when the caller already has ``max_queued_per_user`` unfinished jobs.
        """
        keyed = keyed_request(request, idempotency_key, body)
        task_ids = _process.decode(body).task_ids
        limit = job_settings.max_queued_per_user
        return await respond(
            me,
            keyed,
            lambda: me.run(jobs.submit_processing, me.id, task_ids, limit),
            lambda uow: jobs.enqueue(uow, me.id, task_ids, limit),
            _accepted,
        )

    @get("/jobs/{job_id:str}", **documented("getJob", problems=BY_ID))
    async def get_job(self, job_id: paths.PathId, me: CallerDep) -> JobResponse:
        """A job's status and progress."""
        return JobResponse.of(await me.run(jobs.get_job, me.id, paths.job_id(job_id)))
