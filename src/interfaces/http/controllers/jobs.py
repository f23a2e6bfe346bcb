"""Background processing: accepting jobs and reporting on them."""

from litestar import Controller, Response, get, post
from litestar.params import RawBody

from application.jobs import submission as jobs
from interfaces.http import errors, paths
from interfaces.http.bodies import StrictDecoder
from interfaces.http.dependencies import CallerDep, JobSettingsDep
from interfaces.http.openapi import AUTHENTICATED, BEARER, BY_ID, documented
from interfaces.http.schemas.jobs import JobResponse, ProcessRequest

_process = StrictDecoder(ProcessRequest)


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
            problems=(*AUTHENTICATED, errors.TOO_MANY_REQUESTS),
            headers=("Location",),
        ),
    )
    async def process_tasks(
        self, body: RawBody, me: CallerDep, job_settings: JobSettingsDep
    ) -> Response[JobResponse]:
        """Queue a job that marks the listed tasks processed; it is stored before 202.
        429 when the caller already has ``max_queued_per_user`` unfinished jobs.
        """
        task_ids = _process.decode(body).task_ids
        limit = job_settings.max_queued_per_user
        job = await me.run(jobs.submit_processing, me.id, task_ids, limit)
        return Response(
            JobResponse.of(job), status_code=202, headers={"Location": f"/jobs/{job.id}"}
        )

    @get("/jobs/{job_id:str}", **documented("getJob", problems=BY_ID))
    async def get_job(self, job_id: paths.PathId, me: CallerDep) -> JobResponse:
        """A job's status and progress."""
        return JobResponse.of(await me.run(jobs.get_job, me.id, paths.job_id(job_id)))
