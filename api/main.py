"""FastAPI app factory: JSON API (OpenAPI at /docs) and the staff web page at /."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import IndexDep
from api.routes import accounts, documents, links, search, topics
from docsearch import service
from docsearch.accounts import AuthError
from docsearch.config import get_settings
from docsearch.errors import (
    DocsearchError,
    EngineUnavailableError,
    IndexBusyError,
    IngestError,
    InvalidRequestError,
    NotFoundError,
)
from docsearch.views import Health

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("docsearch.api")


GENERIC = {
    404: {"vi": "không tìm thấy địa chỉ này", "en": "not found"},
    405: {"vi": "phương thức không được phép ở địa chỉ này", "en": "method not allowed"},
    500: {"vi": "lỗi máy chủ; xem nhật ký của máy chủ", "en": "internal error; see the server log"},
    503: {"vi": "chỉ mục đang bận với một thao tác ghi khác; vui lòng thử lại sau",
          "en": "the index is busy with another write; try again shortly"},
}


def _lang(request: Request) -> str:
    """English when the client's first language is English (Accept-Language: en…); Vietnamese otherwise."""
    first = request.headers.get("accept-language", "").split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "vi"


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def create_app() -> FastAPI:
    app = FastAPI(title="docsearch", version="0.1.0",
                  description="Tìm kiếm và gắn chủ đề văn bản chính sách — search over Vietnamese policy documents")
    settings = get_settings()
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=[o.strip() for o in settings.cors_origins.split(",")],
                           allow_methods=["GET", "POST", "DELETE"], allow_headers=["X-API-Key", "Authorization", "Content-Type"])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(req: Request, exc: StarletteHTTPException):
        code = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "too_large", 415: "unsupported", 422: "invalid"}.get(exc.status_code, "error")
        detail = str(exc.detail)
        if exc.status_code in (404, 405) and detail in ("Not Found", "Method Not Allowed"):
            detail = GENERIC[exc.status_code][_lang(req)]
        return _error(exc.status_code, code, detail)

    @app.exception_handler(RequestValidationError)
    async def validation_error(req: Request, exc: RequestValidationError):
        msgs = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', []))}: {e.get('msg')}" for e in exc.errors())
        lead = "invalid request" if _lang(req) == "en" else "yêu cầu không hợp lệ"
        return _error(422, "invalid", f"{lead}: {msgs}"[:1000])

    @app.exception_handler(AuthError)
    async def auth_error(req: Request, exc: AuthError):
        response = _error(exc.status, "unauthorized" if exc.status == 401 else "forbidden", exc.message(_lang(req)))
        if exc.status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(NotFoundError)
    async def not_found(req: Request, exc: NotFoundError):
        return _error(404, "not_found", exc.message(_lang(req))[:500])

    @app.exception_handler(IngestError)
    async def unreadable(req: Request, exc: IngestError):
        return _error(422, "unreadable_file", f"{Path(exc.path).name}: {exc.reason_in(_lang(req))}"[:500])

    @app.exception_handler(InvalidRequestError)
    async def invalid(req: Request, exc: InvalidRequestError):
        return _error(422, "invalid", exc.message(_lang(req))[:500])

    @app.exception_handler(IndexBusyError)
    async def busy(req: Request, exc: IndexBusyError):
        return _error(503, "busy", GENERIC[503][_lang(req)])

    @app.exception_handler(EngineUnavailableError)
    async def unavailable(req: Request, exc: EngineUnavailableError):
        return _error(503, "unavailable", exc.message(_lang(req))[:500])

    @app.exception_handler(DocsearchError)
    async def ds_error(req: Request, exc: DocsearchError):
        return _error(400, "docsearch_error", exc.message(_lang(req)).split(": ", 1)[-1][:500])

    @app.exception_handler(Exception)
    async def any_error(req: Request, exc: Exception):
        log.exception("unhandled error")
        return _error(500, "internal", GENERIC[500][_lang(req)])

    @app.get("/health", response_model=Health, tags=["meta"])
    def health(index: IndexDep) -> Health:
        return service.health(index)

    app.include_router(search.router)
    app.include_router(documents.router)
    app.include_router(topics.router)
    app.include_router(links.router)
    app.include_router(accounts.router)

    @app.middleware("http")
    async def bound_body(request: Request, call_next):
        # refuse an oversized upload from its Content-Length, before any of it is read
        length = request.headers.get("content-length")
        limit = settings.max_upload_mb * 1024 * 1024 + 64 * 1024
        if length is not None and (not length.isdigit() or int(length) > limit):
            msg = (f"the request is over the {settings.max_upload_mb} MB limit" if _lang(request) == "en"
                   else f"yêu cầu vượt giới hạn {settings.max_upload_mb} MB")
            return _error(413, "too_large", msg)
        return await call_next(request)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page():
        return FileResponse(STATIC / "index.html")

    return app


app = create_app()
