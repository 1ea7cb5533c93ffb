"""Statistics: KPIs, the Decision 766 service index, dashboards and exports (thống kê)."""
