"""A demo organisation built from the example KRAs and KPIs, with its history up to today."""

from web.demo.history import DemoSummary, load_demo

__all__ = ["DemoSummary", "load_demo"]
