"""Every write to parts and stock. Sub-modules by sub-domain:

stock (moves and balances, the one place on-hand changes), demand (work-order part lines: demand capture and
reservations), requests (technicians' parts requests), counter (issue, return, lost sales), catalogue (parts, prices,
supersession, CSV import), purchasing (suggested orders, purchase orders, receipts, supplier returns), stocktake, scrap.
"""
