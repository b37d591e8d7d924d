"""The permission map: which position may do which action. One table, default deny.

Every view declares one action with ``@requires(ACTION)`` (or ``@public``); ``PermissionMiddleware`` refuses any
view that declares nothing. Data scoping by station is a separate question, answered in ``org.selectors``.
"""

from __future__ import annotations

from collections.abc import Callable

from org.models import Position as P

# --- actions ---------------------------------------------------------------------------------------------------
HOME = "home"  # the landing page and one's own account
ORG_VIEW = "org.view"  # org chart and staff directory
ORG_MANAGE = "org.manage"  # add, move, deactivate staff; edit authority limits
SETUP = "org.setup"  # the set-up checklist; the station's bays, warehouses and suppliers
TRAINING_MANAGE = "org.training"  # training records, certifications and the station's training plan
MEETINGS_VIEW = "org.meetings"  # the station's meeting minutes and open actions
MEETINGS_MANAGE = "org.meetings_manage"  # record a meeting and its actions; close anyone's action
STAFF_SURVEY = "org.staff_survey"  # answer one's station's anonymous staff survey
PEOPLE_KPI_MANAGE = "org.people_kpi"  # open the staff survey and see its results; the mystery-shop checklist and visits
KIOSK_MANAGE = "org.kiosk"  # device links for wall TVs (create, revoke)
SETUP_GROUP = "org.setup_group"  # the group's name and its stations (the group director, for their own group)
SETUP_GROUP_CREATE = "org.setup_group_create"  # a new dealer group: no position, only the superuser who installs
RECEPTION_VIEW = "reception.view"  # customers, vehicles, appointments, orders (read)
RECEPTION_EDIT = "reception.edit"  # create and change customers, vehicles, appointments, orders
RECEPTION_APPROVE = "reception.approve"  # decide discount approvals routed to them
REVIEW_LARGE_ORDER = "reception.review_large"  # review an estimate above the station's amount before it is signed
CATALOGUE_MANAGE = "reception.catalogue"  # labour operation catalogue
RECEPTION_SETUP = "reception.setup"  # the walk-around (pre-inspection) checklist; customers imported from an old DMS
WELCOME_BOARD = "reception.welcome_board"
SANBAO_WATCH = "reception.sanbao"  # the station's vehicles near a 三包 threshold (the department head)
WORKSHOP_VIEW = "workshop.view"  # the workshop board
WORKSHOP_DISPATCH = "workshop.dispatch"  # assign and reassign jobs
WORKSHOP_CLOCK = "workshop.clock"  # clock on and off own jobs, record findings, ask for parts
WORKSHOP_QC = "workshop.qc"  # final inspection
WORKSHOP_COMEBACK = "workshop.comeback"  # link comebacks
SETTLEMENT_VIEW = "settlement.view"
SETTLEMENT_SETTLE = "settlement.settle"  # reconcile and settle an order, delivery
SETTLEMENT_PAY = "settlement.pay"  # record payments, ask for credit notes
SETTLEMENT_APPROVE = "settlement.approve"  # approve a credit note someone else asked for (four eyes)
WARRANTY_MANAGE = "warranty.manage"  # prepare and track warranty and insurance claims
WARRANTY_APPRAISE = "warranty.appraise"  # technical appraisal
PARTS_VIEW = "parts.view"
PARTS_COUNTER = "parts.counter"  # issue, return, reserve
PARTS_MANAGE = "parts.manage"  # catalogue, purchasing, receipts, supplier returns
PARTS_STOCKTAKE = "parts.stocktake"
PARTS_APPROVE = "parts.approve"  # approve stocktake variances (parts lead)
PARTS_APPROVE_SCRAP = "parts.approve_scrap"  # station manager
COMPLAINTS_VIEW = "complaints.view"
COMPLAINTS_HANDLE = "complaints.handle"  # intake, analyse, handle, feed back
CALLS_WORK = "complaints.calls"  # the follow-up call queue
REMINDERS_VIEW = "complaints.reminders"
MESSAGES_VIEW = "complaints.messages"  # the station's outgoing messages (SMS, WeChat, email) with their state
MESSAGES_RESEND = "complaints.messages_resend"  # send a failed message again; record a customer's consent/opt-out
KPI_VIEW = "kpi.view"
KPI_GROUP = "kpi.group"  # stations side by side
KPI_MANAGE = "kpi.manage"  # targets, overhead, appraisal weights
# the monthly appraisals and their reviews, of the people one leads (whom: kpi.services.appraisal.roles_appraised_by)
APPRAISE = "kpi.appraise"
PAY_MANAGE = "kpi.pay_manage"  # technician grades and rates, the monthly pay statements on sold hours, approval
PAY_OWN = "kpi.pay_own"  # a technician's own pay statements

ALL_ACTIONS: frozenset[str] = frozenset(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)

_EVERYONE = {HOME, ORG_VIEW, REMINDERS_VIEW, MEETINGS_VIEW, STAFF_SURVEY}
_DESK = {RECEPTION_VIEW, RECEPTION_EDIT, WELCOME_BOARD, WORKSHOP_VIEW, SETTLEMENT_VIEW, PARTS_VIEW, COMPLAINTS_VIEW,
         MESSAGES_VIEW, MESSAGES_RESEND}
_READ_ALL = {
    RECEPTION_VIEW,
    WELCOME_BOARD,
    WORKSHOP_VIEW,
    SETTLEMENT_VIEW,
    PARTS_VIEW,
    COMPLAINTS_VIEW,
    KPI_VIEW,
    MESSAGES_VIEW,
}

PERMISSIONS: dict[str, frozenset[str]] = {
    P.STATION_MANAGER: frozenset(
        _EVERYONE
        | _READ_ALL
        | {
            ORG_MANAGE,
            KIOSK_MANAGE,
            TRAINING_MANAGE,
            MEETINGS_MANAGE,
            PEOPLE_KPI_MANAGE,
            SETUP,
            RECEPTION_EDIT,
            RECEPTION_APPROVE,
            SETTLEMENT_APPROVE,
            CATALOGUE_MANAGE,
            RECEPTION_SETUP,
            WORKSHOP_DISPATCH,
            WORKSHOP_QC,
            WORKSHOP_COMEBACK,
            SETTLEMENT_SETTLE,
            WARRANTY_MANAGE,
            PARTS_APPROVE,
            PARTS_APPROVE_SCRAP,
            COMPLAINTS_HANDLE,
            CALLS_WORK,
            KPI_MANAGE,
            APPRAISE,
            PAY_MANAGE,
            SANBAO_WATCH,
            MESSAGES_RESEND,
        }
    ),
    P.FRONT_DESK_LEAD: frozenset(
        _EVERYONE
        | _DESK
        | {RECEPTION_APPROVE, WORKSHOP_COMEBACK, SETTLEMENT_SETTLE, WARRANTY_MANAGE, COMPLAINTS_HANDLE, KPI_VIEW}
        | {CALLS_WORK, KPI_MANAGE, APPRAISE, RECEPTION_SETUP, TRAINING_MANAGE, MEETINGS_MANAGE, SANBAO_WATCH}
        | {REVIEW_LARGE_ORDER}
    ),
    P.SERVICE_ADVISOR: frozenset(_EVERYONE | _DESK | {RECEPTION_APPROVE, WORKSHOP_COMEBACK, SETTLEMENT_SETTLE, COMPLAINTS_HANDLE}),
    P.RECEPTIONIST: frozenset(_EVERYONE | {RECEPTION_VIEW, RECEPTION_EDIT, WELCOME_BOARD, MESSAGES_VIEW, MESSAGES_RESEND}),
    P.WORKSHOP_LEAD: frozenset(
        _EVERYONE
        | {RECEPTION_VIEW, WELCOME_BOARD, WORKSHOP_VIEW, WORKSHOP_DISPATCH, WORKSHOP_QC, WORKSHOP_COMEBACK}
        | {CATALOGUE_MANAGE, PARTS_VIEW, KPI_VIEW, TRAINING_MANAGE, MEETINGS_MANAGE, PAY_MANAGE, APPRAISE}
    ),
    P.TECHNICIAN: frozenset(_EVERYONE | {WORKSHOP_VIEW, WORKSHOP_CLOCK, PAY_OWN}),
    P.QC_INSPECTOR: frozenset(_EVERYONE | {RECEPTION_VIEW, WORKSHOP_VIEW, WORKSHOP_QC, WORKSHOP_COMEBACK}),
    P.TECHNICAL_LEAD: frozenset(
        _EVERYONE
        | {RECEPTION_VIEW, WORKSHOP_VIEW, WORKSHOP_QC, WORKSHOP_COMEBACK, CATALOGUE_MANAGE}
        | {WARRANTY_APPRAISE, SETTLEMENT_VIEW, PARTS_VIEW, KPI_VIEW, MEETINGS_MANAGE}
    ),
    P.PARTS_LEAD: frozenset(
        _EVERYONE
        | {PARTS_VIEW, PARTS_COUNTER, PARTS_MANAGE, PARTS_STOCKTAKE, PARTS_APPROVE, RECEPTION_VIEW, WORKSHOP_VIEW}
        | {KPI_VIEW, TRAINING_MANAGE, MEETINGS_MANAGE, APPRAISE}
    ),
    P.PARTS_CLERK: frozenset(_EVERYONE | {PARTS_VIEW, PARTS_COUNTER, PARTS_STOCKTAKE, RECEPTION_VIEW}),
    P.WARRANTY_CLERK: frozenset(_EVERYONE | {RECEPTION_VIEW, SETTLEMENT_VIEW, WARRANTY_MANAGE, PARTS_VIEW}),
    P.CASHIER: frozenset(_EVERYONE | {RECEPTION_VIEW, SETTLEMENT_VIEW, SETTLEMENT_SETTLE, SETTLEMENT_PAY}),
    P.CUSTOMER_RELATIONS: frozenset(
        _EVERYONE | {RECEPTION_VIEW, COMPLAINTS_VIEW, COMPLAINTS_HANDLE, CALLS_WORK, WELCOME_BOARD}
        | {MESSAGES_VIEW, MESSAGES_RESEND}
    ),
    P.INFORMATION_SPECIALIST: frozenset(
        _EVERYONE | {RECEPTION_VIEW, COMPLAINTS_VIEW, COMPLAINTS_HANDLE, CALLS_WORK, WELCOME_BOARD}
        | {MESSAGES_VIEW, MESSAGES_RESEND}
    ),
    P.GROUP_DIRECTOR: frozenset(
        _EVERYONE
        | _READ_ALL
        | {ORG_MANAGE, KIOSK_MANAGE, TRAINING_MANAGE, MEETINGS_MANAGE, PEOPLE_KPI_MANAGE, KPI_GROUP, KPI_MANAGE, APPRAISE,
           COMPLAINTS_HANDLE,
           RECEPTION_APPROVE, PARTS_APPROVE_SCRAP, RECEPTION_SETUP, SETTLEMENT_APPROVE, SETUP, SETUP_GROUP, SANBAO_WATCH}
    ),
    P.REGIONAL_MANAGER: frozenset(
        _EVERYONE | _READ_ALL | {KPI_GROUP, COMPLAINTS_HANDLE, RECEPTION_APPROVE, SETTLEMENT_APPROVE, SANBAO_WATCH}
    ),
}


def has_action(user, action: str) -> bool:
    """May this user perform this action at all? (Which records: see selectors.)"""
    if action not in ALL_ACTIONS:
        raise KeyError(f"Unknown action {action!r}: declare it in org/permissions.py")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return action in PERMISSIONS.get(user.position, frozenset())


def requires(action: str) -> Callable:
    """Declare the action a view needs. PermissionMiddleware enforces it before the view runs."""
    if action not in ALL_ACTIONS:
        raise KeyError(f"Unknown action {action!r}: declare it in org/permissions.py")

    def decorate(view: Callable) -> Callable:
        view.required_action = action
        return view

    return decorate


def requires_any(*actions: str) -> Callable:
    """Declare a view that any one of ``actions`` opens (a page two departments read, e.g. the counter sale: the
    parts counter works on it, the cashier reads it). The view decides what each may do on it."""
    for action in actions:
        if action not in ALL_ACTIONS:
            raise KeyError(f"Unknown action {action!r}: declare it in org/permissions.py")

    def decorate(view: Callable) -> Callable:
        view.required_action = actions[0]
        view.required_actions = tuple(actions)
        return view

    return decorate


def public(view: Callable) -> Callable:
    """Mark a view that anyone, even anonymous, may open (login, health check, language switch)."""
    view.public = True
    return view


def kiosk_view(view: Callable) -> Callable:
    """Mark a view a wall TV opens through a device link: public (the link's token is checked by the view), and
    outside the idle timeout — a staff session left in the TV's browser is neither ended nor used."""
    view.public = True
    view.kiosk = True
    return view


def login_only(view: Callable) -> Callable:
    """Same as @requires(HOME): any logged-in, active staff member."""
    return requires(HOME)(view)
