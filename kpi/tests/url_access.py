from aftersales.tests.access import GROUP_POSITIONS, Row

ROWS = {
    "kpi:index": Row(allowed=frozenset({"station_manager","front_desk_lead","workshop_lead","technical_lead","parts_lead"}) | GROUP_POSITIONS),
}
