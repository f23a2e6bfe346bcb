"""OPTIONS and 405 name the same methods as the routes (and the API document)."""

import pytest

from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio

# A concrete URL per documented path template.
URLS = {
    "/auth/register": "/auth/register",
    "/auth/login": "/auth/login",
    "/auth/me": "/auth/me",
    "/categories": "/categories",
    "/categories/{category_id}": "/categories/1",
    "/tasks": "/tasks",
    "/tasks/{task_id}": "/tasks/1",
    "/tasks/bulk": "/tasks/bulk",
    "/tasks/process": "/tasks/process",
    "/jobs/{job_id}": "/jobs/1",
    "/health/live": "/health/live",
    "/health/ready": "/health/ready",
    "/health/database": "/health/database",
}


async def test_options_and_405_agree_with_the_document(api: Api) -> None:
    await api.sign_up()
    paths = (await api.get("/schema/openapi.json")).json()["paths"]
    assert set(paths) == set(URLS)
    for template, url in URLS.items():
        documented = {method.upper() for method in paths[template]}
        allow = documented | {"OPTIONS"}
        options = await api.request("OPTIONS", url)
        assert options.status_code == 204, url
        assert _methods(options.headers["allow"]) == allow, url
        refused = await api.request("PUT", url)
        body = assert_problem(refused, 405)
        assert body["type"] == "https://tasklane.dev/problems/method-not-allowed"
        assert _methods(refused.headers["allow"]) == allow, url
        assert "x-request-id" in refused.headers


def _methods(allow: str) -> set[str]:
    return {method.strip() for method in allow.split(",")}
