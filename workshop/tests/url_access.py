from aftersales.tests.access import GROUP_POSITIONS, Row

ROWS = {
    "workshop:index": Row(allowed=frozenset({"station_manager","front_desk_lead","service_advisor","workshop_lead","technician","qc_inspector","technical_lead","parts_lead"}) | GROUP_POSITIONS),
}
