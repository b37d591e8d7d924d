from django.urls import path

from parts import views, views_documents, views_reports, views_transfers

app_name = "parts"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.part_search, name="part_search"),
    path("orders/<int:pk>/", views.order_pick, name="order_pick"),
    path("lines/<int:pk>/issue/", views.line_issue, name="line_issue"),
    path("lines/<int:pk>/return/", views.line_return, name="line_return"),
    path("lines/<int:pk>/special-order/", views.line_special_order, name="line_special_order"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("lost-sales/", views.lost_sale, name="lost_sale"),
    path("stock/", views.stock_list, name="stock_list"),
    path("stock/low/", views.low_stock, name="low_stock"),
    path("stock/import/", views.part_import, name="part_import"),
    path("parts/<int:pk>/", views.part_detail, name="part_detail"),
    path("parts/<int:pk>/location/", views.part_location, name="part_location"),
    path("purchasing/suggested/", views.suggested, name="suggested"),
    path("purchasing/", views.po_list, name="po_list"),
    path("purchasing/new/", views.po_create, name="po_create"),
    path("purchasing/<int:pk>/", views.po_detail, name="po_detail"),
    path("purchasing/<int:pk>/place/", views.po_place, name="po_place"),
    path("purchasing/<int:pk>/cancel/", views.po_cancel, name="po_cancel"),
    path("purchasing/<int:pk>/receive/", views.po_receive, name="po_receive"),
    path("returns/", views.supplier_returns, name="supplier_returns"),
    path("returns/new/", views.supplier_return_create, name="supplier_return_create"),
    path("returns/<int:pk>/close/", views.supplier_return_close, name="supplier_return_close"),
    path("stocktakes/", views.stocktake_list, name="stocktake_list"),
    path("stocktakes/new/", views.stocktake_create, name="stocktake_create"),
    path("stocktakes/<int:pk>/", views.stocktake_detail, name="stocktake_detail"),
    path("stocktakes/<int:pk>/count/", views.stocktake_count, name="stocktake_count"),
    path("stocktakes/<int:pk>/approve/", views.stocktake_approve, name="stocktake_approve"),
    path("stocktakes/<int:pk>/count-sheet.pdf", views_documents.stocktake_sheet_pdf, name="stocktake_sheet_pdf"),
    path("scrap/", views.scrap_list, name="scrap_list"),
    path("scrap/new/", views.scrap_create, name="scrap_create"),
    path("scrap/<int:pk>/decide/", views.scrap_decide, name="scrap_decide"),
    path("reports/lost-sales/", views_reports.lost_sale_list, name="lost_sale_list"),
    path("transfers/", views_transfers.transfer_list, name="transfer_list"),
    path("transfers/new/", views_transfers.transfer_create, name="transfer_create"),
]
