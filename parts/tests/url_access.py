from aftersales.tests.access import GROUP_POSITIONS, Row

ROWS = {
    "parts:index": Row(allowed=frozenset({"station_manager","front_desk_lead","service_advisor","workshop_lead","technical_lead","parts_lead","parts_clerk","warranty_clerk"}) | GROUP_POSITIONS),
}
