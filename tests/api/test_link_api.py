"""POST /link: a plain list has no groups (its order means nothing), groups only when the client sends them."""

from __future__ import annotations


def _first(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [t["suggestions"][0]["address"] for t in resp.json()["tasks"]]


TEXTS = ["Xây dựng cơ sở dữ liệu nhà ở và thị trường bất động sản",
         "Tuyên truyền chủ trương phát triển nhà ở xã hội trong cấp ủy",
         "Cải tạo chung cư cũ xuống cấp"]


def test_a_shuffled_plain_list_gives_the_suggestions_of_each_task_alone(client):
    alone = [_first(client.post("/link", json={"tasks": [t], "target": "05-NQ-TU"}))[0] for t in TEXTS]
    order = [2, 0, 1]
    shuffled = _first(client.post("/link", json={"tasks": [TEXTS[i] for i in order], "target": "05-NQ-TU"}))
    assert shuffled == [alone[i] for i in order]
    # the old bug: task i was read as group i and pushed to III.i — the answers are not in list order here
    assert [a.split(".")[:2] for a in alone] != [["III", str(i + 1)] for i in range(3)]


def test_grouped_tasks_and_several_targets(client):
    body = {"tasks": [{"text": TEXTS[0], "group": "A", "group_heading": "Chuyển đổi số"},
                      {"text": "Số hóa hồ sơ cấp phép xây dựng", "group": "A", "group_heading": "Chuyển đổi số"},
                      TEXTS[2]],
            "target": ["05-NQ-TU"], "top": 3}
    r = client.post("/link", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["targets"] == ["05-NQ-TU"] and [t["group"] for t in data["tasks"]] == ["A", "A", None]
    assert all(s["doc_id"] == "05-NQ-TU" and s["link_id"] for t in data["tasks"] for s in t["suggestions"])
    assert client.post("/link", json={"tasks": ["x"], "target": "no-such-doc"}).status_code == 404
    assert client.post("/link", json={"tasks": ["   "], "target": "05-NQ-TU"}).status_code == 422
