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
from api.routes import documents, links, search, topics
from docsearch import service
from docsearch.config import get_settings
from docsearch.errors import DocsearchError, IndexBusyError, IngestError, InvalidRequestError, NotFoundError
from docsearch.views import Health

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("docsearch.api")


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def create_app() -> FastAPI:
    app = FastAPI(title="docsearch", version="0.1.0",
                  description="Tìm kiếm và gắn chủ đề văn bản chính sách — search over Vietnamese policy documents")
    settings = get_settings()
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=[o.strip() for o in settings.cors_origins.split(",")],
                           allow_methods=["GET", "POST", "DELETE"], allow_headers=["X-API-Key", "Content-Type"])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_req: Request, exc: StarletteHTTPException):
        code = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
                413: "too_large", 422: "invalid"}.get(exc.status_code, "error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_req: Request, exc: RequestValidationError):
        msgs = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', []))}: {e.get('msg')}" for e in exc.errors())
        return _error(422, "invalid", msgs[:1000])

    @app.exception_handler(NotFoundError)
    async def not_found(_req: Request, exc: NotFoundError):
        return _error(404, "not_found", str(exc)[:500])

    @app.exception_handler(IngestError)
    async def unreadable(_req: Request, exc: IngestError):
        return _error(422, "unreadable_file", f"{Path(exc.path).name}: {exc.reason}"[:500])

    @app.exception_handler(InvalidRequestError)
    async def invalid(_req: Request, exc: InvalidRequestError):
        return _error(422, "invalid", str(exc)[:500])

    @app.exception_handler(IndexBusyError)
    async def busy(_req: Request, exc: IndexBusyError):
        return _error(503, "busy", "chỉ mục đang bận với một thao tác ghi khác; vui lòng thử lại sau")

    @app.exception_handler(DocsearchError)
    async def ds_error(_req: Request, exc: DocsearchError):
        return _error(400, "docsearch_error", str(exc).split(": ", 1)[-1][:500])

    @app.exception_handler(Exception)
    async def any_error(_req: Request, exc: Exception):
        log.exception("unhandled error")
        return _error(500, "internal", "internal error; see the server log")

    @app.get("/health", response_model=Health, tags=["meta"])
    def health(index: IndexDep) -> Health:
        return service.health(index)

    app.include_router(search.router)
    app.include_router(documents.router)
    app.include_router(topics.router)
    app.include_router(links.router)

    @app.middleware("http")
    async def bound_body(request: Request, call_next):
        # refuse an oversized upload from its Content-Length, before any of it is read
        length = request.headers.get("content-length")
        limit = settings.max_upload_mb * 1024 * 1024 + 64 * 1024
        if length is not None and (not length.isdigit() or int(length) > limit):
            return _error(413, "too_large", f"the request is over the {settings.max_upload_mb} MB limit")
        return await call_next(request)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page():
        return FileResponse(STATIC / "index.html")

    return app


app = create_app()
