import pytest

SERVICE_KEY = "k"


@pytest.fixture(scope="module")
def client(sample_index, monkeypatch_module):
    from fastapi.testclient import TestClient

    from api import deps
    from api.main import create_app
    from docsearch.config import get_settings

    monkeypatch_module.setenv("DOCSEARCH_INDEX", str(sample_index.path))
    monkeypatch_module.setenv("DOCSEARCH_API_KEY", SERVICE_KEY)
    get_settings.cache_clear()
    deps.reset_index()
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        c.headers["X-API-Key"] = SERVICE_KEY  # the service key: an admin, so tests of the jobs can write
        yield c
    deps.reset_index()
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()
