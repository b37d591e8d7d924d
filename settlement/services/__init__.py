"""Settlement services: every write of the settlement app.

Sub-modules: ``reconcile`` (what must be true before settling; the READY→SETTLED guard), ``settle`` (statements,
credit notes), ``payments``, ``claims`` (warranty claims and their state table), ``insurance``, ``delivery``
(checklist and the SETTLED→DELIVERED guard). That a settled order's lines never change is the order's own rule
(``reception.models.WorkOrderLine.save``).
"""
