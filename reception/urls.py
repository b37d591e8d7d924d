"""Front-desk URLs under /reception/. Settlement's pages (documents, settlement, delivery, claims, payments) moved to
/settlement/; their old /reception/ addresses redirect (settlement.urls.moved_urlpatterns) — never use them here."""

from django.urls import path

from reception.views import appointments, catalogue, checklist, customers, desk, inspection, lines, orders, pickers

app_name = "reception"

urlpatterns = [
    path("", desk.index, name="index"),
    path("desk/panel/", desk.desk_panel, name="desk_panel"),
    path("search/", customers.search, name="search"),
    path("pick/vehicles/", pickers.pick_vehicles, name="pick_vehicles"),
    path("pick/customers/", pickers.pick_customers, name="pick_customers"),
    path("pick/operations/", pickers.pick_operations, name="pick_operations"),
    path("pick/parts/", pickers.pick_parts, name="pick_parts"),
    path("customers/", customers.customer_list, name="customer_list"),
    path("customers/new/", customers.customer_create, name="customer_create"),
    path("customers/import/", customers.customer_import, name="customer_import"),
    path("customers/<int:pk>/", customers.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", customers.customer_edit, name="customer_edit"),
    path("customers/<int:pk>/vehicles/new/", customers.vehicle_create, name="vehicle_create"),
    path("vehicles/<int:pk>/", customers.vehicle_detail, name="vehicle_detail"),
    path("vehicles/<int:pk>/edit/", customers.vehicle_edit, name="vehicle_edit"),
    path("vehicles/<int:pk>/mileage/", customers.vehicle_mileage, name="vehicle_mileage"),
    path("vehicles/<int:pk>/owner/", customers.vehicle_owner, name="vehicle_owner"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/new/", catalogue.catalogue_edit, name="catalogue_create"),
    path("catalogue/<int:pk>/edit/", catalogue.catalogue_edit, name="catalogue_edit"),
    path("catalogue/import/", catalogue.catalogue_import, name="catalogue_import"),
    path("appointments/", appointments.appointment_day, name="appointments"),
    path("appointments/week/", appointments.appointment_week, name="appointment_week"),
    path("appointments/new/", appointments.appointment_create, name="appointment_create"),
    path("appointments/capacity/", appointments.appointment_capacity, name="appointment_capacity"),
    path("appointments/<int:pk>/edit/", appointments.appointment_edit, name="appointment_edit"),
    path("appointments/<int:pk>/cancel/", appointments.appointment_cancel, name="appointment_cancel"),
    path("appointments/<int:pk>/receive/", orders.appointment_receive, name="appointment_receive"),
    path("welcome-board/", appointments.welcome_board, name="welcome_board"),
    path("welcome-board/panel/", appointments.welcome_board_panel, name="welcome_board_panel"),
    path("orders/", orders.order_list, name="order_list"),
    path("orders/new/", orders.order_receive, name="order_receive"),
    path("orders/<int:pk>/", orders.order_detail, name="order_detail"),
    path("orders/<int:pk>/edit/", orders.order_edit, name="order_edit"),
    path("orders/<int:pk>/lookup/", orders.order_lookup, name="order_lookup"),
    path("orders/<int:pk>/lines/add/<str:kind>/", lines.line_add, name="line_add"),
    path("orders/<int:pk>/lines/<int:line_pk>/", lines.line_edit, name="line_edit"),
    path("orders/<int:pk>/lines/<int:line_pk>/remove/", lines.line_remove, name="line_remove"),
    path("orders/<int:pk>/sign/", orders.order_sign, name="order_sign"),
    path("orders/<int:pk>/approve/", orders.order_approve, name="order_approve"),
    path("orders/<int:pk>/cancel/", orders.order_cancel, name="order_cancel"),
    path("orders/<int:pk>/pre-inspection/", inspection.order_inspection, name="order_inspection"),
    path("orders/<int:pk>/photos/", inspection.order_photo, name="order_photo"),
    path("checklist/", checklist.checklist, name="checklist"),
    path("approvals/", lines.approvals, name="approvals"),
    path("approvals/<int:pk>/decide/", lines.approval_decide, name="approval_decide"),
]
