"""A demo organisation built from the example KRAs and KPIs."""

from web.demo.organisation import DemoSummary, load_demo

__all__ = ["DemoSummary", "load_demo"]
