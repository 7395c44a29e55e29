"""Employees: registered once, their profile changed with a reason, their leaving recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from marshmallow import Schema, fields

from ledger.application import LedgerApp
from ledger.commands import Context, Written
from ledger.domain.access import Action
from ledger.domain.employee import Employee, Profile
from web.api.fields import key_field, reason_field, short_text
from web.api.resource import Resource
from web.api.schemas import ReasonRequiredSchema, WrittenSchema
from web.serving.auth import requires
from web.serving.calls import Answer, answer, context, ledger, tagged

resource = Resource("employees", "Employees and their profiles")


class ProfileSchema(Schema):
    name = short_text(required=True, blank=False)
    department = short_text(required=True, blank=False)
    role = short_text(required=True, blank=False)
    manager_id = key_field(allow_none=True, load_default=None)
    effective_date = fields.Date(
        load_default=None, allow_none=True, metadata={"description": "of a change; default today"}
    )
    reason = reason_field(metadata={"description": "why; required for a change of profile"})


class LeavingSchema(ReasonRequiredSchema):
    effective_date = fields.Date(required=True)


class ErasureSchema(ReasonRequiredSchema):
    legal_basis = short_text(
        required=True,
        blank=False,
        metadata={"description": "the law that requires the erasure, e.g. GDPR Art. 17(1)(a)"},
    )


class EmployeeSchema(Schema):
    employee_id = fields.String(required=True)
    name = fields.String(required=True)
    department = fields.String(required=True)
    role = fields.String(required=True)
    manager_id = fields.String(allow_none=True, required=True)
    left_on = fields.Date(allow_none=True, required=True)
    erased = fields.Boolean(required=True)
    version = fields.Integer(required=True)


@resource.write("/employees/<employee_id>", "PUT")
@requires(Action.ORGANISE)
@resource.arguments(ProfileSchema)
@resource.response(200, WrittenSchema, description="the profile changed")
@resource.alt_response(201, WrittenSchema, description="the employee registered", success=True)
def put_employee(body: dict[str, Any], employee_id: str) -> Answer:
    """Register an employee, or change their profile (with a reason)"""
    return answer(register_or_change(ledger(), context(), employee_id, body))


@resource.route("/employees/<employee_id>", "GET")
@requires(Action.READ)
@resource.response(200, EmployeeSchema)
def get_employee(employee_id: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """An employee's profile"""
    employee = ledger().employee(employee_id)
    return employee_view(employee), 200, tagged(employee.version)


@resource.write("/employees/<employee_id>/leaving", "POST")
@requires(Action.ORGANISE)
@resource.arguments(LeavingSchema)
@resource.response(200, WrittenSchema)
def record_leaving(body: dict[str, Any], employee_id: str) -> Answer:
    """Record that an employee left (with a reason)"""
    return answer(ledger().record_leaving(context(), employee_id, **body))


@resource.write("/employees/<employee_id>/erasure", "POST")
@requires(Action.ORGANISE)
@resource.arguments(ErasureSchema)
@resource.response(200, WrittenSchema)
def erase_employee(body: dict[str, Any], employee_id: str) -> Answer:
    """Erase an employee's personal data (their data key is destroyed; history stays)"""
    return answer(ledger().erase_employee(context(), employee_id, **body))


def register_or_change(
    ledger: LedgerApp, ctx: Context, employee_id: str, body: dict[str, Any]
) -> Written:
    profile = Profile(body["name"], body["department"], body["role"], body["manager_id"])
    if not ledger.has_employee(employee_id):
        return ledger.register_employee(ctx, employee_id, profile)
    effective = body["effective_date"] or datetime.now(UTC).date()
    return ledger.change_profile(
        ctx, employee_id, profile, effective_date=effective, reason=body["reason"]
    )


def employee_view(employee: Employee) -> dict[str, Any]:
    left_on: date | None = employee.left_on
    return {
        "employee_id": employee.employee_id,
        "name": employee.profile.name,
        "department": employee.profile.department,
        "role": employee.profile.role,
        "manager_id": employee.profile.manager_id,
        "left_on": left_on,
        "erased": employee.erased,
        "version": employee.version,
    }
