"""The linker on an index of real text (the sample resolution and programme, NQ 57 when ../shared is present):
plain task lists, citations, several targets, the programme's own task list."""

from __future__ import annotations

from docsearch.linking.link import link_tasks
from docsearch.linking.tasks import Task, programme_tasks
from docsearch.structure import parse_file
from tests.conftest import RAW, SAMPLES, need_shared

RES = "05-NQ-TU"


def _first(links) -> list[str]:
    return [tl.suggestions[0].address for tl in links]


def test_tasks_of_the_sample_programme_reach_their_branches(sample_index):
    tasks = programme_tasks(parse_file(str(SAMPLES / "mau-ctr-12-ubnd-2025.txt")))
    by_id = {tl.task.address: tl for tl in link_tasks(sample_index, tasks, RES, top=5)}
    expected = {"II.1.a": "III.1", "II.2.a": "III.2", "II.2.b": "III.2", "II.3.a": "III.3", "II.4.a": "III.4",
                "DM.4": "III.4"}
    for task, branch in expected.items():
        top3 = [s.address for s in by_id[task].suggestions[:3]]
        assert any(a == branch or a.startswith(branch + ".") for a in top3), (task, top3)


def test_a_plain_list_is_linked_task_by_task_whatever_its_order(sample_index):
    texts = ["Xây dựng cơ sở dữ liệu nhà ở và thị trường bất động sản",  # III.4
             "Tuyên truyền chủ trương phát triển nhà ở xã hội trong cấp ủy",  # III.1
             "Cải tạo chung cư cũ xuống cấp"]  # III.3
    alone = [_first(link_tasks(sample_index, [Task(id="1", text=t)], RES)) [0] for t in texts]
    listed = _first(link_tasks(sample_index, [Task(id=str(i + 1), text=t) for i, t in enumerate(texts)], RES))
    shuffled = _first(link_tasks(sample_index, [Task(id=str(i + 1), text=t) for i, t in enumerate(texts[::-1])], RES))
    assert listed == alone and shuffled == alone[::-1]
    assert alone[0].startswith("III.4") and alone[1].startswith("III.1") and alone[2].startswith("III.3")


def test_the_linker_embeds_a_task_as_search_embeds_a_query():
    """A task is read as the same text typed into search: abbreviations ("CĐS", "CSDL", "Sở KH&CN") written out
    before embedding, so a provincial programme's short forms count as the words (evaluated with
    `docsearch eval linking --abbreviated`)."""
    from docsearch.linking.link import query_text
    from docsearch.search.query import understand

    text = "Đẩy mạnh CĐS, xây dựng CSDL về NƠXH; Sở KH&CN chủ trì"
    assert query_text(text) == understand(text, [], None).text != text
    assert "chuyển đổi số" in query_text(text) and "khoa học và công nghệ" in query_text(text)


def test_a_cited_clause_comes_first(sample_index):
    task = Task(id="1", text="Triển khai nhiệm vụ 5 Mục III Nghị quyết số 05-NQ/TU về chuyển đổi số")
    (tl,) = link_tasks(sample_index, [task], RES)
    assert (tl.suggestions[0].address, tl.suggestions[0].reason) == ("III.5", "citation")
    assert tl.suggestions[1].reason == "text"


def test_several_targets_name_the_document_of_each_suggestion(sample_index):
    need_shared("corpus", "raw", "nq-57-nqtw-2024.txt")
    assert (RAW / "nq-57-nqtw-2024.txt").exists()
    tasks = [Task(id="1", text="Bố trí quỹ đất 20% trong dự án nhà ở thương mại để phát triển nhà ở xã hội"),
             Task(id="2", text="Xây dựng các trung tâm dữ liệu quốc gia và hạ tầng số hiện đại")]
    links = link_tasks(sample_index, tasks, [RES, "57-NQ-TW"], top=5)
    assert links[0].suggestions[0].doc_id == RES and links[0].suggestions[0].address.startswith("III.2")
    assert links[1].suggestions[0].doc_id == "57-NQ-TW" and links[1].suggestions[0].address.startswith("III.3")
    assert all(s.doc_id in (RES, "57-NQ-TW") for tl in links for s in tl.suggestions)
