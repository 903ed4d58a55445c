"""What circles tell people through the outbox: welcomes, day-before reminders, notices of a
moved meeting and waitlist promotions, in each person's language, each delivered once."""

from datetime import UTC, datetime, timedelta

from tests.circles.conftest import meeting_time


def test_joining_queues_a_welcome_and_a_reminder_the_day_before_each_meeting(
    circle, person, join, outbox
):
    mia = person("Mia", locale="nl")

    join(circle["id"], mia)

    welcome, *reminders = outbox(user_id=mia.id)
    assert welcome.kind == "circle_welcome"
    assert welcome.language == "nl"
    assert welcome.subject == "Welkom in Climat à la bibliothèque"
    assert "dinsdag 17 maart 2026 19:00" in welcome.body
    assert "Bibliothèque d'Ixelles, Rue Mercelis 19" in welcome.body
    assert [r.kind for r in reminders] == ["circle_reminder"] * 4
    assert [r.send_after for r in reminders] == [
        datetime(2026, 3, 16, 9, 0, tzinfo=UTC),
        datetime(2026, 3, 23, 9, 0, tzinfo=UTC),
        datetime(2026, 3, 30, 8, 0, tzinfo=UTC),
        datetime(2026, 4, 6, 8, 0, tzinfo=UTC),
    ]
    assert [r.expires_at for r in reminders] == [meeting_time(n) for n in (1, 2, 3, 4)]
    assert reminders[2].subject == "Herinnering: Climat à la bibliothèque, bijeenkomst 3"
    assert "dinsdag 31 maart 2026 19:00" in reminders[2].body


def test_publishing_queues_the_facilitators_reminders_in_their_language(
    circle, facilitator, outbox
):
    reminders = outbox(user_id=facilitator.id)

    assert [r.kind for r in reminders] == ["circle_reminder"] * 4
    assert reminders[0].subject == "Rappel : Climat à la bibliothèque, rencontre 1"
    assert "mardi 17 mars 2026 19:00" in reminders[0].body


def test_a_late_joiner_is_welcomed_with_the_next_meeting_and_reminded_of_those_to_come(
    circle, person, join, outbox, clock
):
    clock.move_to(meeting_time(2) + timedelta(days=1))
    late = person("Laura")

    join(circle["id"], late)

    welcome, *reminders = outbox(user_id=late.id)
    assert welcome.subject == "Welcome to Climat à la bibliothèque"
    assert "Tuesday, March 31, 2026 7:00" in welcome.body
    assert [r.expires_at for r in reminders] == [meeting_time(3), meeting_time(4)]


def test_a_moved_meeting_sends_a_notice_and_replaces_its_reminders(
    client, circle, facilitator, person, join, outbox
):
    mia, colleague = person("Mia", locale="nl"), person("Chloé")
    join(circle["id"], mia)
    client.put(
        f"/api/v1/circles/{circle['id']}/facilitators/{colleague.id}", headers=facilitator.headers
    )

    client.patch(
        f"/api/v1/circles/{circle['id']}/meetings/2",
        json={"starts_at": "2026-03-26T18:00:00+01:00"},
        headers=facilitator.headers,
    )

    notices = outbox(kind="circle_meeting_moved")
    assert sorted(n.user_id for n in notices) == sorted([mia.id, colleague.id])
    to_mia = next(n for n in notices if n.user_id == mia.id)
    assert to_mia.subject == "Verplaatst: Climat à la bibliothèque, bijeenkomst 2"
    assert "van dinsdag 24 maart 2026 19:00 naar donderdag 26 maart 2026 18:00" in to_mia.body
    reminders = [
        r for r in outbox(kind="circle_reminder", user_id=mia.id) if "bijeenkomst 2" in r.subject
    ]
    assert [(r.send_after, r.expires_at) for r in reminders] == [
        (datetime(2026, 3, 25, 9, 0, tzinfo=UTC), datetime(2026, 3, 26, 17, 0, tzinfo=UTC))
    ]
    assert len(outbox(kind="circle_reminder", user_id=facilitator.id)) == 4


def test_leaving_withdraws_my_unsent_messages(client, circle, person, join, outbox):
    mia = person("Mia")
    join(circle["id"], mia)

    client.delete(f"/api/v1/circles/{circle['id']}/signup", headers=mia.headers)

    assert outbox(user_id=mia.id) == []


def test_a_waitlist_promotion_is_announced_with_the_next_meeting(
    client, published, person, join, outbox
):
    small = published(capacity=2)
    ana, bo, wout = person("Ana"), person("Bo"), person("Wout", locale="fr")
    for who in (ana, bo, wout):
        join(small["id"], who)
    assert outbox(user_id=wout.id) == []

    client.delete(f"/api/v1/circles/{small['id']}/signup", headers=ana.headers)

    promotion, *reminders = outbox(user_id=wout.id)
    assert promotion.kind == "circle_waitlist_promoted"
    assert promotion.subject == "Une place s'est libérée pour vous dans Climat à la bibliothèque"
    assert "mardi 17 mars 2026 19:00" in promotion.body
    assert len(reminders) == 4


def test_reminders_go_out_the_day_before_exactly_once(
    circle, facilitator, person, join, mail, notify_send, clock
):
    mia = person("Mia", locale="nl")
    join(circle["id"], mia)
    assert notify_send() == "sent 1 message(s), 0 failed\n"
    assert [m["Subject"] for m in mail.received] == ["Welkom in Climat à la bibliothèque"]

    clock.move_to(datetime(2026, 3, 16, 10, 0, tzinfo=meeting_time(1).tzinfo))
    first = notify_send()
    second = notify_send()

    assert first == "sent 2 message(s), 0 failed\n"
    assert second == "sent 0 message(s), 0 failed\n"
    reminders = mail.received[1:]
    assert sorted(m["Subject"] for m in reminders) == [
        "Herinnering: Climat à la bibliothèque, bijeenkomst 1",
        "Rappel : Climat à la bibliothèque, rencontre 1",
    ]
    assert sorted(m["To"] for m in reminders) == sorted([mia.email, facilitator.email])


def test_a_reminder_for_a_meeting_that_has_started_is_dropped(
    circle, person, join, mail, notify_send, clock
):
    join(circle["id"], person("Mia"))
    notify_send()
    clock.move_to(meeting_time(1) + timedelta(minutes=5))

    output = notify_send()

    assert output == "sent 0 message(s), 0 failed\n"
    assert [m["Subject"] for m in mail.received] == ["Welcome to Climat à la bibliothèque"]
