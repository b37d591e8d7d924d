from aftersales.tests.access import GROUP_POSITIONS, Row

ROWS = {
    "complaints:index": Row(allowed=frozenset({"station_manager","front_desk_lead","service_advisor","customer_relations","information_specialist"}) | GROUP_POSITIONS),
}
