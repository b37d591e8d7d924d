"""Where the KPI measures come from: one module per department, each reading that department's records.

Every source is a function ``source(sink, station_ids, lo, hi)`` that adds its measures per local day to the sink
(``kpi.sources.base.Sink``); ``kpi.services.collect.SOURCES`` lists them in order. kpi sits above every department,
so each module imports the department's models and selectors plainly at the top. Sources only read.
"""
