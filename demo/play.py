"""Half a year of a station's life, played through the services in the order it happened.

Every order is a small story (a generator): it does one step through the services, then says when its next step
happens. The play keeps the stories in a queue by time and runs each step with the time machine set to that moment,
so the services stamp the right dates themselves (signed, settled, delivered, the call made on its due day), numbers
come out in time order, and a technician is busy while their clock runs. A step that would happen after now is not
played: the order stays where it is, which is how today's board shows every state.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from demo import complaints as care
from demo import data as D
from demo import parts as parts_demo
from demo import reception as desk
from demo import settlement as cashier_desk
from demo import workshop as shop
from demo.base import DemoContext, at, moment, rng_for
from org.models import Position, Staff, Station
from reception.models import WorkOrder
from workshop.services.clock import clock_off, clock_on

S = WorkOrder.Status
TODAY_STATES = [S.DRAFT, S.OPEN, S.IN_PROGRESS, S.QUALITY_CHECK, S.READY, S.SETTLED, S.DELIVERED, S.CANCELLED,
                S.OPEN, S.IN_PROGRESS, S.DRAFT, S.IN_PROGRESS]
# The usual length of each step in minutes (squeezed for today's orders so they reach their state before now).
GAPS = {S.OPEN: 20, S.IN_PROGRESS: 40, S.QUALITY_CHECK: 90, S.READY: 20, S.SETTLED: 60, S.DELIVERED: 20,
        S.CANCELLED: 15}
FLOW = [S.OPEN, S.IN_PROGRESS, S.QUALITY_CHECK, S.READY, S.SETTLED, S.DELIVERED]


class Play:
    """A queue of stories by time; ``run`` plays every step up to ``until``."""

    def __init__(self, until: datetime):
        self.until = until
        self.queue: list = []
        self.seq = itertools.count()

    def spawn(self, when: datetime, story: Iterator[datetime]) -> None:
        heapq.heappush(self.queue, (when, next(self.seq), story))

    def run(self) -> None:
        while self.queue and self.queue[0][0] <= self.until:
            when, _n, story = heapq.heappop(self.queue)
            with at(when):
                following = next(story, None)
            if following is not None:
                self.spawn(max(following, when), story)


@dataclass
class Crew:
    """The people of one station the stories need."""

    techs: list[Staff]
    dispatcher: Staff
    qc: Staff
    clerk: Staff
    cashier: Staff
    warranty: Staff
    techlead: Staff
    care: Staff
    manager: Staff
    busy: set[int] = field(default_factory=set)  # technicians given a job they have not finished yet
    visits: int = 0  # orders whose work has started (one in five brings a finding)

    @classmethod
    def of(cls, ctx: DemoContext, station: Station) -> Crew:
        return cls(
            techs=ctx.station_staff(station, Position.TECHNICIAN), dispatcher=ctx.first(station, Position.WORKSHOP_LEAD),
            qc=ctx.first(station, Position.QC_INSPECTOR, Position.WORKSHOP_LEAD), clerk=parts_demo.clerk(ctx, station),
            cashier=ctx.first(station, Position.CASHIER), warranty=ctx.first(station, Position.WARRANTY_CLERK),
            techlead=ctx.first(station, Position.TECHNICAL_LEAD), care=care.caller(ctx, station),
            manager=ctx.first(station, Position.STATION_MANAGER),
        )


def target_status(rng: random.Random, age_days: int, today_count: int) -> str:
    if age_days > 3:
        return S.CANCELLED if rng.random() < 0.04 else S.DELIVERED
    if age_days >= 1:
        return rng.choice([S.DELIVERED] * 4 + [S.SETTLED, S.READY, S.IN_PROGRESS])
    return TODAY_STATES[today_count % len(TODAY_STATES)]  # today: every state is on the board


def play_station(ctx: DemoContext, station: Station, start: date, *, skip_vehicles: set[int] = frozenset()) -> None:
    """``skip_vehicles``: vehicles that do not come in the half year (the demo's lost customers)."""
    now = timezone.now()
    today = timezone.localdate()
    kit = desk.station_kit(ctx, station)
    kit.vehicles = [v for v in kit.vehicles if v.pk not in skip_vehicles]
    crew = Crew.of(ctx, station)
    cashier_desk.invoice_settings(station)
    bays = shop.lift_bays(station)
    play = Play(until=now)
    rng = rng_for("play", station.code)
    day = start
    while day <= today:
        play.spawn(moment(day, -30), _morning(ctx, station, crew, day))
        busy = D.ORDERS_RECENT if (today - day).days <= D.RECENT_DAYS else D.ORDERS_HISTORY
        count = len(TODAY_STATES) if day == today else rng.randint(*busy["weekend" if day.weekday() >= 5 else "weekday"])
        latest = int((now - moment(day, 0)).total_seconds() // 60) - 60 if day == today else 540
        for n in range(count):
            order_rng = rng_for("order", station.code, (today - day).days, n)
            opened_at = min(moment(day, order_rng.randint(20, max(21, min(480, latest)))), now - timedelta(minutes=45))
            target = target_status(order_rng, (today - day).days, n)
            play.spawn(opened_at, order_story(kit, crew, bays, play, order_rng, opened_at, target, today=day == today))
        if day.weekday() == 2:
            play.spawn(moment(day, 90), parts_demo.housekeeping(ctx, station, (day - start).days // 7))
        play.spawn(moment(day, 600), _evening(kit, crew, rng, day))
        day += timedelta(days=1)
    play.run()
    desk.appointments_ahead(kit, rng)


def _morning(ctx, station, crew: Crew, day: date) -> Iterator[datetime]:
    parts_demo.replenish(ctx, station, day)
    yield moment(day, 20)
    shop.shift_start(crew.techs, day)


def _evening(kit, crew: Crew, rng: random.Random, day: date) -> Iterator[datetime]:
    desk.appointments_for_day(kit, rng, day, rng.randint(0, 2))
    shop.shift_end(crew.techs, day)
    yield from ()


def order_story(kit, crew: Crew, bays, play: Play, rng: random.Random, opened_at: datetime, target: str,  # noqa: C901, PLR0912, PLR0915
           *, today: bool) -> Iterator[datetime]:
    order = desk.order_open(kit, rng, opened_at)
    if target == S.DRAFT:
        return
    steps = [S.CANCELLED] if target == S.CANCELLED else FLOW[: FLOW.index(target) + 1]
    planned = sum(GAPS[s] for s in steps) or 1
    room = (play.until - opened_at).total_seconds() / 60 - 5
    factor = min(1.0, room / planned) if today else 1.0

    def after(minutes: float) -> datetime:
        return timezone.now() + timedelta(minutes=minutes * factor)

    yield after(GAPS[steps[0]] / 2)
    if target == S.CANCELLED:
        desk.order_cancel(order)
        return
    order = desk.order_sign(order)
    if target == S.OPEN:
        if rng.random() < 0.5:  # half the open orders wait for the dispatcher
            shop.dispatch(order, tech=rng.choice(crew.techs), bay=rng.choice(bays), by=crew.dispatcher)
        return
    yield after(GAPS[S.OPEN])
    shop.link_comeback(order, by=crew.qc)
    tech = shop.free_technician(crew.techs, rng, busy=crew.busy)
    while tech is None:  # everyone is under a car: the job waits for the first free hands
        yield after(15)
        tech = shop.free_technician(crew.techs, rng, busy=crew.busy)
    crew.busy.add(tech.pk)
    shop.dispatch(order, tech=tech, bay=rng.choice(bays), by=crew.dispatcher)
    yield after(10)
    first = shop.start_work(order, tech=tech, clerk=crew.clerk)
    crew.visits += 1
    # One visit in five the technician finds more to do; the customer says yes a little more often than no.
    finding = shop.find_additional(order, rng, tech=tech, found_on=first) if crew.visits % 5 == 2 else None
    if target == S.IN_PROGRESS:  # still on the floor: the customer has not answered about a finding yet
        if not today or shop.clock_running_elsewhere(crew.techs, order):
            if not today:
                yield after(30)
            shop.wait_for_parts(first, tech=tech)  # one job runs on the board; the others wait for parts
            crew.busy.discard(tech.pk)
        return
    if finding is not None:
        yield after(20)
        approve = rng.random() < 0.6
        shop.answer_finding(finding, rng, approve=approve)
        if approve:
            shop.take_on_additional(finding, tech=tech, bay=rng.choice(bays), by=crew.dispatcher, clerk=crew.clerk)
    shop.parts_before_qc(order, clerk=crew.clerk, lead=crew.dispatcher)
    lines = shop.labour_lines(order)
    for index, line in enumerate(lines):
        if index:
            clock_on(line=line, technician=tech)  # straight on to the next job
        yield timezone.now() + shop.worked(line, rng) * factor
        clock_off(line=line, technician=tech)  # the last one sends the order to the final inspection
    if target == S.QUALITY_CHECK:
        crew.busy.discard(tech.pk)
        return
    yield after(GAPS[S.READY])
    order.refresh_from_db()
    if rng.random() < 0.07:
        shop.inspect(order, rng, qc=crew.qc, passed=False)
        yield after(10)
        clock_on(line=lines[0], technician=tech)  # the rework
        yield after(25)
        clock_off(line=lines[0], technician=tech)  # back to the final inspection
        yield after(5)
    shop.inspect(order, rng, qc=crew.qc, passed=True)
    crew.busy.discard(tech.pk)
    if target == S.READY:
        return
    yield after(GAPS[S.SETTLED])
    order.refresh_from_db()
    cashier_desk.insurance_assess(order, rng)
    cashier_desk.settle(order, cashier=crew.cashier)
    share = Decimal(rng.choice(["1", "1", "0.5", "0"])) if target == S.SETTLED else Decimal("1")
    yield after(10)
    cashier_desk.pay(order, rng, cashier=crew.cashier, share=share)
    cashier_desk.invoice(order, cashier=crew.cashier)
    play.spawn(timezone.now() + timedelta(hours=2), _warranty(order, rng_for("warranty", order.number), crew))
    if target == S.SETTLED:
        if rng.random() < 0.5:
            cashier_desk.hand_over_checklist(order, rng, complete=False)
        return
    yield after(GAPS[S.DELIVERED])
    cashier_desk.hand_over_checklist(order, rng, complete=True)
    cashier_desk.deliver(order)
    order.refresh_from_db()
    kit.returning.append(order.vehicle)
    play.spawn(timezone.now(), care.call_story(order, by=crew.care, manager=crew.manager))
    if rng.random() < 0.7:
        play.spawn(timezone.now() + timedelta(days=rng.randint(5, 25)), _insurer(order, crew))
    if rng.random() < 0.05:
        play.spawn(timezone.now() + timedelta(days=1), _credit(order, crew))


def _warranty(order: WorkOrder, rng: random.Random, crew: Crew) -> Iterator[datetime]:
    """The claim the settlement opened: completed and appraised, sent with the next batch, decided by the
    manufacturer one to three weeks later, paid a fortnight after that."""
    claim = cashier_desk.warranty_prepare(order, rng, clerk=crew.warranty, techlead=crew.techlead)
    if claim is None:
        return
    fate = cashier_desk.warranty_fate(rng)
    yield _next_claims_day(timezone.now())  # the clerk sends the week's claims on Tuesdays and Fridays
    cashier_desk.warranty_submit(claim, rng, clerk=crew.warranty)
    yield timezone.now() + timedelta(days=rng.randint(7, 20))
    cashier_desk.warranty_decide(claim, rng, clerk=crew.warranty, fate=fate)
    if fate == cashier_desk.C.PAID:
        yield timezone.now() + timedelta(days=15)
        cashier_desk.warranty_paid(claim, rng, clerk=crew.warranty)


def _next_claims_day(after: datetime) -> datetime:
    day = timezone.localdate(after) + timedelta(days=1)
    while day.weekday() not in (1, 4):
        day += timedelta(days=1)
    return moment(day, 120)


def _insurer(order: WorkOrder, crew: Crew) -> Iterator[datetime]:
    cashier_desk.insurer_pays(order, cashier=crew.cashier)
    yield from ()


def _credit(order: WorkOrder, crew: Crew) -> Iterator[datetime]:
    cashier_desk.credit_note(order, cashier=crew.cashier, manager=crew.manager)
    yield from ()
