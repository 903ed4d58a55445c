"""Who is in a class: learners, their removal or departure, co-teachers, and classmates."""

from tests.classes.conftest import join, user_id


def test_a_teacher_sees_the_learners_by_display_name(client, teacher, school_class, auth_headers):
    for name in ("zoë", "Bram", "amina"):
        join(client, auth_headers(display_name=name), school_class["join_code"])

    members = client.get(f"/api/v1/classes/{school_class['id']}/members", headers=teacher).json

    assert [m["display_name"] for m in members["items"]] == ["amina", "Bram", "zoë"]
    assert members["total"] == 3
    assert set(members["items"][0]) == {"user_id", "display_name", "joined_at"}


def test_members_come_a_page_at_a_time(client, teacher, school_class, auth_headers):
    for n in range(3):
        join(client, auth_headers(display_name=f"learner {n}"), school_class["join_code"])

    page = client.get(
        f"/api/v1/classes/{school_class['id']}/members?per_page=2&page=2", headers=teacher
    ).json

    assert [m["display_name"] for m in page["items"]] == ["learner 2"]
    assert page["total"] == 3


def test_a_teacher_removes_a_learner(client, teacher, school_class, learner):
    learner_id = user_id(client, learner)

    response = client.delete(
        f"/api/v1/classes/{school_class['id']}/members/{learner_id}", headers=teacher
    )

    assert response.status_code == 204
    members = client.get(f"/api/v1/classes/{school_class['id']}/members", headers=teacher).json
    assert members["items"] == []
    assert client.get("/api/v1/me/classes", headers=learner).json["items"] == []
    again = client.delete(
        f"/api/v1/classes/{school_class['id']}/members/{learner_id}", headers=teacher
    )
    assert again.status_code == 404


def test_a_learner_leaves_a_class(client, teacher, school_class, learner):
    response = client.delete(f"/api/v1/me/classes/{school_class['id']}", headers=learner)

    assert response.status_code == 204
    assert client.get("/api/v1/me/classes", headers=learner).json["total"] == 0
    again = client.delete(f"/api/v1/me/classes/{school_class['id']}", headers=learner)
    assert again.status_code == 404


def test_my_classes_lists_every_class_i_joined(client, auth_headers, school_class, learner):
    other_teacher = auth_headers("teacher", display_name="Meneer Janssens")
    other = client.post(
        "/api/v1/classes",
        json={"name": "NT2", "school": "CVO Brussel", "commune": "jette", "language": "nl"},
        headers=other_teacher,
    ).json
    join(client, learner, other["join_code"])

    mine = client.get("/api/v1/me/classes", headers=learner).json

    assert [(c["name"], c["teachers"]) for c in mine["items"]] == [
        ("NT2", ["Meneer Janssens"]),
        ("5B", ["Ms Peeters"]),
    ]


def test_a_teacher_adds_a_co_teacher_who_then_runs_the_class(
    client, teacher, school_class, auth_headers
):
    colleague = auth_headers("teacher", display_name="Mr Dubois")

    response = client.put(
        f"/api/v1/classes/{school_class['id']}/teachers/{user_id(client, colleague)}",
        headers=teacher,
    )

    assert response.status_code == 200
    assert [t["display_name"] for t in response.json["teachers"]] == ["Ms Peeters", "Mr Dubois"]
    assert client.get(f"/api/v1/classes/{school_class['id']}", headers=colleague).status_code == 200
    assert [c["id"] for c in client.get("/api/v1/classes", headers=colleague).json["items"]] == [
        school_class["id"]
    ]


def test_adding_a_co_teacher_twice_changes_nothing(client, teacher, school_class, auth_headers):
    colleague_id = user_id(client, auth_headers("teacher"))
    path = f"/api/v1/classes/{school_class['id']}/teachers/{colleague_id}"

    client.put(path, headers=teacher)
    response = client.put(path, headers=teacher)

    assert response.status_code == 200
    assert len(response.json["teachers"]) == 2


def test_a_co_teacher_needs_the_teacher_role(client, teacher, school_class, auth_headers):
    someone = user_id(client, auth_headers())

    response = client.put(
        f"/api/v1/classes/{school_class['id']}/teachers/{someone}", headers=teacher
    )

    assert response.status_code == 409


def test_a_co_teacher_must_exist(client, teacher, school_class):
    response = client.put(f"/api/v1/classes/{school_class['id']}/teachers/999999", headers=teacher)

    assert response.status_code == 404


def test_a_learner_of_the_class_cannot_also_teach_it(client, teacher, school_class, auth_headers):
    learning_teacher = auth_headers("teacher")
    join(client, learning_teacher, school_class["join_code"])

    response = client.put(
        f"/api/v1/classes/{school_class['id']}/teachers/{user_id(client, learning_teacher)}",
        headers=teacher,
    )

    assert response.status_code == 409


def test_a_class_keeps_at_least_one_teacher(client, teacher, school_class, auth_headers):
    colleague = auth_headers("teacher")
    me, them = user_id(client, teacher), user_id(client, colleague)
    client.put(f"/api/v1/classes/{school_class['id']}/teachers/{them}", headers=teacher)

    leaving = client.delete(f"/api/v1/classes/{school_class['id']}/teachers/{me}", headers=teacher)
    last = client.delete(f"/api/v1/classes/{school_class['id']}/teachers/{them}", headers=colleague)

    assert leaving.status_code == 204
    assert client.get(f"/api/v1/classes/{school_class['id']}", headers=teacher).status_code == 404
    assert last.status_code == 409
    assert last.content_type == "application/problem+json"


def test_removing_someone_who_does_not_teach_the_class_is_404(
    client, teacher, school_class, learner
):
    response = client.delete(
        f"/api/v1/classes/{school_class['id']}/teachers/{user_id(client, learner)}",
        headers=teacher,
    )

    assert response.status_code == 404


def test_classmates_stay_hidden_while_the_leaderboard_is_off(client, school_class, learner):
    response = client.get(f"/api/v1/classes/{school_class['id']}/classmates", headers=learner)

    assert response.status_code == 200
    assert response.json["leaderboard_enabled"] is False
    assert response.json["items"] == []


def test_with_the_leaderboard_on_classmates_see_display_names_only(
    client, teacher, school_class, learner, auth_headers
):
    join(client, auth_headers(display_name="Bram"), school_class["join_code"])
    client.patch(
        f"/api/v1/classes/{school_class['id']}",
        json={"leaderboard_enabled": True},
        headers=teacher,
    )

    seen = client.get(f"/api/v1/classes/{school_class['id']}/classmates", headers=learner).json

    assert seen["leaderboard_enabled"] is True
    assert seen["items"] == [{"display_name": "Amina"}, {"display_name": "Bram"}]
    assert seen["total"] == 2


def test_outsiders_do_not_see_classmates(client, teacher, school_class, auth_headers):
    client.patch(
        f"/api/v1/classes/{school_class['id']}",
        json={"leaderboard_enabled": True},
        headers=teacher,
    )

    response = client.get(
        f"/api/v1/classes/{school_class['id']}/classmates", headers=auth_headers()
    )

    assert response.status_code == 404
