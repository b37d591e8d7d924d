"""Front-desk services: every write and state change of customers, vehicles and work orders.

Sub-modules: ``workflow`` (the work-order state table), ``pricing`` (money and rounding), ``numbering``.
"""
