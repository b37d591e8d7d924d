"""Build the boards (figures, comparison, targets, people side by side) and their export tables.

Every figure is computed from summed daily facts (``kpi.selectors``) with the formulas of ``kpi.registry``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from kpi.models import MEASURES, AdvisorDay, TechnicianDay
from kpi.registry import BOARD_HEADLINES, BOARDS, KPIS, Kpi, Totals, export_cell, format_value
from kpi.selectors import Period, combine, daily_series, people_totals, station_totals, targets_for
from kpi.services.shifts import unclosed_shifts
from org.models import Staff, Station


@dataclass
class Figure:
    kpi: Kpi
    value: Decimal | None
    previous: Decimal | None
    target: Decimal | None
    numerator: Decimal
    denominator: Decimal | None

    @property
    def code(self) -> str:
        return self.kpi.code

    @property
    def shown(self) -> str:
        return format_value(self.kpi, self.value)

    @property
    def previous_shown(self) -> str:
        return format_value(self.kpi, self.previous)

    @property
    def target_shown(self) -> str:
        return format_value(self.kpi, self.target) if self.target is not None else ""

    @property
    def cell(self):
        """The figure for an export (a number with its format in xlsx, the text shown in CSV)."""
        return export_cell(self.kpi, self.value)

    @property
    def previous_cell(self):
        return export_cell(self.kpi, self.previous)

    @property
    def target_cell(self):
        return export_cell(self.kpi, self.target) if self.target is not None else ""

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def trend(self) -> str:
        """better / worse / same, given which way is good."""
        change = self.change
        if change is None or change == 0 or self.kpi.good == "none":
            return "same"
        up = change > 0
        return "better" if up == (self.kpi.good == "up") else "worse"

    @property
    def on_target(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target if self.kpi.good != "down" else self.value <= self.target


def figure(code: str, current: Totals, previous: Totals, targets: dict) -> Figure:
    kpi = KPIS[code]
    num, den = kpi.parts(current)
    return Figure(kpi, kpi.value(current), kpi.value(previous), targets.get(code), num, den)


@dataclass
class Board:
    name: str
    period: Period
    previous: Period
    stations: list[Station]
    figures: list[Figure] = field(default_factory=list)
    people: list[tuple[Staff, list[Figure]]] = field(default_factory=list)
    people_codes: list[str] = field(default_factory=list)
    ranking: list[tuple[Station, list[Figure]]] = field(default_factory=list)
    chart: dict = field(default_factory=dict)
    regions: list[dict] = field(default_factory=list)
    unclosed_shifts: list = field(default_factory=list)  # workshop: shifts of ended days never ended

    def table(self) -> tuple[list[str], list[list]]:
        """The board's main table for export: figures, or people / stations side by side."""
        if self.ranking:
            codes = BOARDS["group"]
            headers = [_("rank"), _("station")] + [str(KPIS[c].label) for c in codes]
            rows = [[i + 1, str(s)] + [f.cell for f in figs] for i, (s, figs) in enumerate(self.ranking)]
            return headers, rows
        if self.people:
            headers = [_("name")] + [str(KPIS[c].label) for c in self.people_codes]
            rows = [[p.display_name or p.username] + [f.cell for f in figs] for p, figs in self.people]
            return headers, rows
        headers = [_("KPI"), _("value"), _("previous period"), _("target"), _("numerator"), _("denominator")]
        rows = [
            [str(f.kpi.label), f.cell, f.previous_cell, f.target_cell, f.numerator,
             "" if f.denominator is None else f.denominator]
            for f in self.figures
        ]
        return headers, rows


def station_board(name: str, stations: list[Station], period: Period, *, trend: str = "aro") -> Board:
    """station / desk / workshop / parts for one station (or several summed)."""
    ids = [s.pk for s in stations]
    previous = period.previous()
    cur = combine(list(station_totals(ids, period).values()))
    prev = combine(list(station_totals(ids, previous).values()))
    targets = targets_for(ids)
    board = Board(name, period, previous, stations)
    codes = BOARDS[name] if name in ("station", "parts") else BOARD_HEADLINES[name]
    board.figures = [figure(code, cur, prev, targets) for code in codes]
    if name in ("desk", "workshop"):
        model = AdvisorDay if name == "desk" else TechnicianDay
        board.people_codes = BOARDS[name]
        cur_people = people_totals(model, ids, period)
        prev_people = people_totals(model, ids, previous)
        staff = Staff.objects.filter(pk__in=cur_people.keys() | prev_people.keys()).order_by("username")
        board.people = [
            (p, [figure(c, cur_people.get(p.pk, Totals()), prev_people.get(p.pk, Totals()), targets)
                 for c in board.people_codes])
            for p in staff
        ]
    if name == "station":
        board.chart = _station_chart(ids, period, trend, targets)
    if name == "workshop":
        board.unclosed_shifts = list(unclosed_shifts(
            since=period.start, until=min(period.end, timezone.localdate() - timedelta(days=1)), station_ids=ids
        ))
    return board


def _station_chart(ids: list[int], period: Period, trend: str, targets: dict) -> dict:
    kpi = KPIS.get(trend) or KPIS["aro"]
    series = daily_series(
        ids, period,
        ["sales_customer", "sales_warranty", "sales_insurance", "sales_internal", "orders_in", "orders_out",
         *_measures_of(kpi)],
    )
    days = sorted(series)
    pct = 100 if kpi.unit == "pct" else 1

    def trend_value(t: Totals):
        t["days"] = Decimal(1)
        value = kpi.value(t)
        return None if value is None else float(value * pct)

    target = targets.get(kpi.code)
    return {
        "names": {"customer": _("customer pay"), "warranty": _("warranty"), "insurance": _("insurance"),
                  "internal": _("internal"), "cars_in": _("in"), "cars_out": _("out"), "target": _("target")},
        "labels": [d.isoformat() for d in days],
        "payers": {
            "customer": [float(series[d].sales_customer) for d in days],
            "warranty": [float(series[d].sales_warranty) for d in days],
            "insurance": [float(series[d].sales_insurance) for d in days],
            "internal": [float(series[d].sales_internal) for d in days],
        },
        "cars_in": [float(series[d].orders_in) for d in days],
        "cars_out": [float(series[d].orders_out) for d in days],
        "trend": {"code": kpi.code, "label": str(kpi.label), "values": [trend_value(series[d]) for d in days],
                  "target": None if target is None else float(target * pct)},
    }


def _measures_of(kpi: Kpi) -> list[str]:
    """The measures a KPI reads, found by evaluating it on a recording Totals."""
    seen: list[str] = []

    class Recorder(Totals):
        def __getattr__(self, name):
            seen.append(name)
            return Decimal(1)

    kpi.value(Recorder())
    return [m for m in dict.fromkeys(seen) if m in MEASURES]


def group_board(stations: list[Station], period: Period, *, rank: str = "revenue") -> Board:
    """Stations side by side, ranked by one KPI (best first), with region subtotals and the group total."""
    ids = [s.pk for s in stations]
    previous = period.previous()
    codes = BOARDS["group"]
    rank_kpi = KPIS.get(rank) or KPIS["revenue"]
    # Only the measures the board's figures read: half the columns, half the time.
    measures = list(dict.fromkeys(m for c in [*codes, rank_kpi.code] for m in _measures_of(KPIS[c])))
    cur = station_totals(ids, period, measures)
    prev = station_totals(ids, previous, measures)
    targets = targets_for(ids)
    board = Board("group", period, previous, stations)
    rows = [(s, [figure(c, cur[s.pk], prev[s.pk], targets) for c in codes]) for s in stations]

    def key(row):
        value = rank_kpi.value(cur[row[0].pk])
        if value is None:
            return (1, Decimal(0))
        return (0, -value if rank_kpi.good != "down" else value)

    board.ranking = sorted(rows, key=key)
    group_cur, group_prev = combine(list(cur.values())), combine(list(prev.values()))
    board.figures = [figure(c, group_cur, group_prev, targets) for c in codes]
    regions: dict = {}
    for s in stations:
        regions.setdefault(s.region, []).append(s.pk)
    for region, sids in regions.items():
        region_cur, region_prev = combine([cur[i] for i in sids]), combine([prev[i] for i in sids])
        board.regions.append({"name": str(region) if region else _("no region"),
                              "figures": [figure(c, region_cur, region_prev, targets) for c in codes]})
    board.chart = {
        "rank": rank_kpi.code,
        "labels": [str(s) for s, _figs in board.ranking],
        "values": [_float(rank_kpi, rank_kpi.value(cur[s.pk])) for s, _figs in board.ranking],
        "target": _float(rank_kpi, targets.get(rank_kpi.code)),
        "rank_label": str(rank_kpi.label),
        "names": {"target": _("target")},
    }
    return board


def _float(kpi: Kpi, value):
    if value is None:
        return None
    return float(value * 100) if kpi.unit == "pct" else float(value)
