"""Annotated types for handler parameters that the app's dependencies fill in."""

from litestar.di import NamedDependency
from litestar.params import SkipValidation

from application.jobs.settings import JobSettings
from application.ports import AttemptLimiter, DatabaseProbe, PasswordHasher, TokenService
from application.runner import UseCaseRunner
from interfaces.http.caller import Caller

# Parameter types for handlers. Validation is skipped: Protocols cannot be checked with
# isinstance, and these values come from our own providers.
RunDep = NamedDependency[SkipValidation[UseCaseRunner]]
PasswordHasherDep = NamedDependency[SkipValidation[PasswordHasher]]
AttemptLimiterDep = NamedDependency[SkipValidation[AttemptLimiter]]
TokenServiceDep = NamedDependency[SkipValidation[TokenService]]
DatabaseProbeDep = NamedDependency[SkipValidation[DatabaseProbe]]
CallerDep = NamedDependency[SkipValidation[Caller]]
JobSettingsDep = NamedDependency[SkipValidation[JobSettings]]
