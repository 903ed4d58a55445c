"""Circle discovery runs a fixed number of SQL statements however many circles a page shows."""


def test_discovery_costs_the_same_for_one_circle_as_for_a_page_of_them(
    client, published, person, join, count_queries
):
    reader = person("Reader")

    def statements() -> tuple[int, int]:
        with count_queries() as counted:
            response = client.get(
                "/api/v1/circles?commune=ixelles&open_seats=true", headers=reader.headers
            )
            assert response.status_code == 200, response.json
        return len(counted), len(response.json["items"])

    first = published()
    join(first["id"], person("Member"))
    one, shown_one = statements()
    for _ in range(4):
        join(published()["id"], person("Another member"))
    five, shown_five = statements()

    assert (shown_one, shown_five) == (1, 5)
    assert one == five


def test_discovery_costs_the_same_however_many_waiting_lists_i_am_on(
    client, published, person, join, count_queries
):
    reader = person("Reader")

    def listed() -> tuple[list[str], list[dict]]:
        with count_queries() as counted:
            response = client.get("/api/v1/circles?commune=ixelles", headers=reader.headers)
            assert response.status_code == 200, response.json
        return counted, response.json["items"]

    def full_circle_i_wait_for() -> None:
        circle = published(capacity=2)
        join(circle["id"], person("Seated"))
        join(circle["id"], person("Also seated"))
        join(circle["id"], person("First in line"))
        assert join(circle["id"], reader)["status"] == "waitlisted"

    full_circle_i_wait_for()
    one, shown_one = listed()
    for _ in range(3):
        full_circle_i_wait_for()
    four, shown_four = listed()

    assert [item["waitlist_position"] for item in shown_one] == [2]
    assert [item["waitlist_position"] for item in shown_four] == [2, 2, 2, 2]
    assert {item["my_status"] for item in shown_four} == {"waitlisted"}
    assert len(one) == len(four), four
