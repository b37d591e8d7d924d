from aftersales.tests.access import GROUP_POSITIONS, Row

ROWS = {
    "reception:index": Row(allowed=frozenset({"station_manager","front_desk_lead","service_advisor","receptionist","workshop_lead","qc_inspector","technical_lead","parts_lead","parts_clerk","warranty_clerk","cashier","customer_relations","information_specialist"}) | GROUP_POSITIONS),
}
