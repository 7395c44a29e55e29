"""One plan with every aggregation (a rate among them) and both directions, its targets and
its measurements: as the rows of an import, and as the API calls that build the same plan."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.e2e.client import ApiClient

KRAS: list[dict[str, Any]] = [
    {"kra_id": "delivery", "title": "Delivery", "weight": 60, "description": ""},
    {"kra_id": "care", "title": "Customer care", "weight": 40, "description": "how clients fare"},
]
KPIS: list[dict[str, Any]] = [
    {"kpi_id": "revenue", "kra_id": "delivery", "name": "Revenue", "unit": "INR",
     "direction": "increase", "aggregation": "sum", "weight": 40,
     "target": 100, "threshold": 80, "stretch": 120},
    {"kpi_id": "defects", "kra_id": "delivery", "name": "Defects", "unit": "count",
     "direction": "decrease", "aggregation": "mean", "weight": 30,
     "target": 2, "threshold": 5, "stretch": 1},
    {"kpi_id": "nps", "kra_id": "delivery", "name": "NPS", "unit": "points",
     "direction": "increase", "aggregation": "last", "weight": 30,
     "target": 50, "threshold": None, "stretch": None},
    {"kpi_id": "wait", "kra_id": "care", "name": "Wait time", "unit": "minutes",
     "direction": "decrease", "aggregation": "min", "weight": 40,
     "target": 10, "threshold": 20, "stretch": 5},
    {"kpi_id": "resolved", "kra_id": "care", "name": "First-contact resolution", "unit": "%",
     "direction": "increase", "aggregation": "ratio", "scale": 100, "weight": 30,
     "target": 70, "threshold": 40, "stretch": 90},
    {"kpi_id": "csat", "kra_id": "care", "name": "CSAT", "unit": "%",
     "direction": "increase", "aggregation": "max", "weight": 30,
     "target": 90, "threshold": 70, "stretch": None},
]  # fmt: skip
# (kpi_id, the cell as typed in the workbook, the value as the API takes it, the date)
# Dates in the workbook are date cells, ISO text and an Excel serial (46203 is 2026-06-30).
MEASUREMENTS: list[tuple[str, object, str, object, str]] = [
    ("revenue", 30.5, "30.5", date(2026, 4, 30), "2026-04-30"),
    ("revenue", 0.1, "0.1", "2026-05-31", "2026-05-31"),
    ("revenue", 45, "45", 46203, "2026-06-30"),
    ("revenue", 60.25, "60.25", date(2026, 8, 31), "2026-08-31"),
    ("defects", 3, "3", date(2026, 5, 15), "2026-05-15"),
    ("defects", 1.5, "1.5", date(2026, 6, 15), "2026-06-15"),
    ("defects", "2.25", "2.25", date(2026, 7, 15), "2026-07-15"),
    ("nps", 42, "42", date(2026, 5, 1), "2026-05-01"),
    ("nps", 55.5, "55.5", date(2026, 6, 1), "2026-06-01"),
    ("wait", 12.75, "12.75", date(2026, 4, 20), "2026-04-20"),
    ("wait", 8, "8", date(2026, 6, 20), "2026-06-20"),
    ("csat", 88.8, "88.8", date(2026, 5, 5), "2026-05-05"),
    ("csat", 91, "91", date(2026, 5, 25), "2026-05-25"),
]
# (kpi_id, numerator and denominator as typed, as the API takes them, the date): a rate's
# months on very different volumes; Q1 resolves 541 of 820 (65.98%), not the monthly mean.
RATES: list[tuple[str, object, object, str, str, str]] = [
    ("resolved", 45, 50, "45", "50", "2026-04-30"),
    ("resolved", 396, 720, "396", "720", "2026-05-31"),
    ("resolved", "100", 50.0, "100", "50", "2026-06-30"),
    ("resolved", 0, 0, "0", "0", "2026-07-31"),
]
TARGETS: list[dict[str, Any]] = [
    {"kpi_id": "revenue", "kind": "revision", "quarter": "Q2", "target": 150,
     "threshold": 100, "stretch": 200, "reason": "territory grew", "approved_by": "hr:priya"},
    {"kpi_id": "defects", "kind": "adjustment", "quarter": "Q1", "target": 3,
     "threshold": 6, "stretch": None, "reason": "migration quarter", "approved_by": None},
]  # fmt: skip


def import_sheets(
    manager_id: str, employee_id: str, cycle_id: str
) -> dict[str, list[dict[str, Any]]]:
    """The rows of the template's four sheets for the plan of ``employee_id``."""
    owner = {"employee_id": employee_id, "cycle_id": cycle_id}
    kras = {kra["kra_id"]: kra for kra in KRAS}
    plans = []
    for index, kpi in enumerate(KPIS):
        kra = kras[kpi["kra_id"]]
        plans.append(
            {
                **owner,
                "kra_id": kra["kra_id"],
                "kra_title": kra["title"],
                "kra_description": kra["description"] or None,
                "kra_weight": kra["weight"],
                "kpi_id": kpi["kpi_id"],
                "kpi_name": kpi["name"],
                "unit": kpi["unit"],
                "direction": kpi["direction"],
                "aggregation": kpi["aggregation"],
                "kpi_weight": kpi["weight"],
                "target": kpi["target"],
                "threshold": kpi["threshold"],
                "stretch": kpi["stretch"],
                "scale": kpi.get("scale"),
                "activate": "yes" if index == len(KPIS) - 1 else None,
            }
        )
    return {
        "employees": [
            {
                "employee_id": manager_id,
                "name": "Ravi Iyer",
                "department": "Sales",
                "role": "Head of Sales",
            },
            {
                "employee_id": employee_id,
                "name": "Ana Rao",
                "department": "Sales",
                "role": "Sales Executive",
                "manager_id": manager_id,
            },
        ],
        "plans": plans,
        "targets": [
            {
                **owner,
                "kpi_id": t["kpi_id"],
                "kind": t["kind"],
                "period": f"{cycle_id}-{t['quarter']}",
                "target": t["target"],
                "threshold": t["threshold"],
                "stretch": t["stretch"],
                "reason": t["reason"],
                "approved_by": t["approved_by"],
            }
            for t in TARGETS
        ],
        "measurements": [
            *(
                {**owner, "kpi_id": kpi_id, "value": typed, "effective_date": day,
                 "source": "report"}
                for kpi_id, typed, _, day, _ in MEASUREMENTS
            ),
            *(
                {**owner, "kpi_id": kpi_id, "numerator": numerator, "denominator": denominator,
                 "effective_date": day, "source": "report"}
                for kpi_id, numerator, denominator, _, _, day in RATES
            ),
        ],
    }  # fmt: skip


def build_through_api(client: ApiClient, employee_id: str, cycle_id: str) -> int:
    """The same plan, targets and measurements through the API; the last position."""
    client.register(employee_id)
    plan = f"/employees/{employee_id}/plans/{cycle_id}"
    client.ok("PUT", plan)
    for kra in KRAS:
        body = {"title": kra["title"], "weight": kra["weight"], "description": kra["description"]}
        client.ok("PUT", f"{plan}/kras/{kra['kra_id']}", body)
    for kpi in KPIS:
        body = {name: value for name, value in kpi.items() if name != "kpi_id"}
        client.ok("PUT", f"{plan}/kpis/{kpi['kpi_id']}", body)
    client.ok("POST", f"{plan}/activate")
    for target in TARGETS:
        spec = {name: target[name] for name in ("target", "threshold", "stretch", "reason")}
        spec["approved_by"] = target["approved_by"]
        period = f"{cycle_id}-{target['quarter']}"
        if target["kind"] == "revision":
            client.ok(
                "POST",
                f"{plan}/kpis/{target['kpi_id']}/target-revisions",
                {**spec, "effective_from": period},
            )
        else:
            client.ok(
                "POST", f"{plan}/kpis/{target['kpi_id']}/adjustments", {**spec, "period": period}
            )
    position = 0
    bodies = [
        (kpi_id, {"value": value, "effective_date": day})
        for kpi_id, _, value, _, day in MEASUREMENTS
    ] + [
        (kpi_id, {"numerator": numerator, "denominator": denominator, "effective_date": day})
        for kpi_id, _, _, numerator, denominator, day in RATES
    ]
    for kpi_id, body in bodies:
        written = client.ok(
            "POST", f"{plan}/kpis/{kpi_id}/measurements", {**body, "source": "report"}
        )
        position = written["position"]
    return position
