from org.tests.access import EVERYONE, MANAGERS, Row

SETUP = frozenset({"station_manager", "group_director"})
SETUP_GROUP = frozenset({"group_director"})
MEETINGS = frozenset({"station_manager", "group_director", "front_desk_lead", "workshop_lead", "parts_lead",
                      "technical_lead"})
PEOPLE = frozenset({"station_manager", "group_director"})
TRAINING = frozenset({"station_manager", "group_director", "front_desk_lead", "workshop_lead", "parts_lead"})

ROWS = {
    "home": Row(allowed=EVERYONE, status=302),
    "healthz": Row(allowed=EVERYONE, public=True),
    "healthz_ready": Row(allowed=EVERYONE, public=True),
    "login": Row(allowed=EVERYONE, status=302, public=True),  # logged in: redirected home; anonymous: 200
    "logout": Row(allowed=EVERYONE, status=302, method="post", public=True),
    "password_change": Row(allowed=EVERYONE),
    "password_change_done": Row(allowed=EVERYONE),
    "switch_station": Row(allowed=EVERYONE, status=302, method="post", data=lambda w: {"station": w.station.pk}),
    "set_language": Row(allowed=EVERYONE, status=302, method="post", data=lambda w: {"language": "en"}, public=True),
    "javascript-catalog": Row(allowed=EVERYONE, public=True),
    "org:chart": Row(allowed=EVERYONE),
    "org:directory": Row(allowed=EVERYONE),
    "org:pick_staff": Row(allowed=EVERYONE, query="?q=a"),
    "org:staff_create": Row(allowed=MANAGERS - {"regional_manager"}),
    "org:staff_edit": Row(other_station=404, allowed=MANAGERS - {"regional_manager"},
                          kwargs=lambda w: {"pk": w.target.pk}),
    "org:staff_toggle_active": Row(
        other_station=404, allowed=MANAGERS - {"regional_manager"}, status=302, method="post",
        kwargs=lambda w: {"pk": w.target.pk},
    ),
    "org:lockouts": Row(allowed=MANAGERS - {"regional_manager"}),
    "org:staff_unlock": Row(
        other_station=404, allowed=MANAGERS - {"regional_manager"}, status=302, method="post",
        kwargs=lambda w: {"pk": w.target.pk},
    ),
    "org:authority": Row(allowed=MANAGERS - {"regional_manager"}),
    # device links for wall TVs: managed by the station manager and the group director; the board a link opens is
    # public (the token is the credential), a revoked link answers 410 — see org/tests/test_kiosk.py
    "org:kiosk_links": Row(allowed=MANAGERS - {"regional_manager"}),
    "org:kiosk_link_revoke": Row(
        other_station=404, allowed=MANAGERS - {"regional_manager"}, status=302, method="post",
        kwargs=lambda w: {"pk": w.kiosk_link.pk},
    ),
    "kiosk": Row(allowed=EVERYONE, public=True, kwargs=lambda w: {"token": w.kiosk_token}),
    # training and certification: the station manager, the group director and the leads who train their teams
    "org:training": Row(allowed=TRAINING),
    "org:training_record_new": Row(allowed=TRAINING),
    "org:training_plan_new": Row(allowed=TRAINING),
    "org:training_plan_done": Row(other_station=404, allowed=TRAINING, kwargs=lambda w: {"pk": w.plan_item.pk}),
    "org:training_plan_cancel": Row(other_station=404, allowed=TRAINING, status=302, method="post",
                                    kwargs=lambda w: {"pk": w.plan_item.pk}),
    "org:training_record_withdraw": Row(other_station=404, allowed=TRAINING, status=302, method="post",
                                        kwargs=lambda w: {"pk": w.training_record.pk}),
    # meetings: everyone reads the minutes; managers and leads record them; an action is done by its owner or a
    # manager (the action belongs to world.target, so others get the page back with a refusal message: 302)
    "org:meetings": Row(allowed=EVERYONE),
    "org:meeting_new": Row(allowed=MEETINGS),
    "org:meeting": Row(other_station=404, allowed=EVERYONE, kwargs=lambda w: {"pk": w.meeting.pk}),
    "org:meeting_action_done": Row(other_station=404, allowed=EVERYONE, status=302, method="post",
                                   kwargs=lambda w: {"pk": w.meeting_action.pk}),
    # the people KPIs: everyone answers the staff survey; the manager opens it and enters mystery-shop visits
    "org:staff_survey": Row(allowed=EVERYONE),
    "org:people": Row(allowed=PEOPLE),
    "org:staff_survey_open": Row(allowed=PEOPLE),
    "org:mystery_item_new": Row(allowed=PEOPLE),
    "org:mystery_item_retire": Row(other_station=404, allowed=PEOPLE, status=302, method="post",
                                   kwargs=lambda w: {"pk": w.mystery_item.pk}),
    "org:mystery_visit_new": Row(allowed=PEOPLE),
    "org:mystery_visit": Row(other_station=404, allowed=PEOPLE, kwargs=lambda w: {"pk": w.mystery_visit.pk}),
    "org:notifications": Row(allowed=EVERYONE),
    "org:notification_read": Row(
        allowed=EVERYONE, status=302, method="post", data=lambda w: {"notification": w.bell_note.pk}
    ),
    "org:notifications_read_all": Row(allowed=EVERYONE, status=302, method="post"),
    # the first-run set-up (/setup/): the checklist for the station manager and the group director; the group and its
    # stations for the group director only (their own group: another group's director gets 404); a new group only for
    # the superuser (no position holds that action)
    "setup:index": Row(allowed=SETUP),
    "setup:group_create": Row(allowed=frozenset()),
    "setup:group_edit": Row(other_station=404, allowed=SETUP_GROUP, kwargs=lambda w: {"pk": w.station.group_id}),
    "setup:station_create": Row(allowed=SETUP_GROUP),
    "setup:station_edit": Row(other_station=404, allowed=SETUP_GROUP, kwargs=lambda w: {"pk": w.station.pk}),
}


def setup(world):
    from django.utils import timezone

    from core.notifications import notification_send
    from org.factories import StaffFactory
    from org.kiosk import kiosk_link_create
    from org.meetings import meeting_action_add, meeting_record
    from org.staff_survey import mystery_item_add, mystery_visit_record
    from org.training import training_plan_add, training_record_add

    world.target = StaffFactory(username="target", station=world.station, position="cashier")
    world.kiosk_link, _ = kiosk_link_create(station=world.station, board="welcome", label="lounge", by=world.manager)
    _, world.kiosk_token = kiosk_link_create(station=world.station, board="workshop", label="tv", by=world.manager)
    world.plan_item = training_plan_add(station=world.station, staff=world.target, course="培训", kind="internal",
                                        planned_for=timezone.localdate(), by=world.manager)
    world.training_record = training_record_add(station=world.station, staff=world.target, course="培训",
                                                kind="internal", completed_on=timezone.localdate(), result="attended",
                                                by=world.manager)
    world.meeting = meeting_record(station=world.station, kind="morning", held_at=timezone.now(),
                                   chaired_by=world.manager, attendees=[world.target], minutes="纪要", by=world.manager)
    world.meeting_action = meeting_action_add(meeting=world.meeting, description="跟进", owner=world.target,
                                              due_on=timezone.localdate(), by=world.manager)
    world.mystery_item = mystery_item_add(station=world.station, label="接待", max_points=10, by=world.manager)
    world.mystery_visit = mystery_visit_record(station=world.station, visited_on=timezone.localdate(),
                                               scores={world.mystery_item.pk: 8}, by=world.manager)
    world.bell_note = notification_send(channel="in_app", to_staff=world.target, subject="bell", body="")
