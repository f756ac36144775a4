"""One error envelope for every API failure: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kefu.core.errors import Forbidden, InvalidInput, KefuError, NotFound

logger = logging.getLogger(__name__)

STATUS_BY_CODE = {NotFound.code: 404, InvalidInput.code: 422, Forbidden.code: 403}


def envelope(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    details: list[Any] | None = None,
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": details or []}}
    return api.create_response(request, body, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return envelope(api, request, status=404, code="not_found", message="Not found")

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return envelope(
            api,
            request,
            status=403,
            code="forbidden",
            message="Your role in this shop does not allow this",
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return envelope(
            api,
            request,
            status=401,
            code="unauthenticated",
            message="Send 'Authorization: Bearer <token>' or log in",
        )

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [
            {"path": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "")}
            for err in exc.errors
        ]
        return envelope(
            api,
            request,
            status=422,
            code="invalid",
            message="The request is not valid",
            details=details,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return envelope(api, request, status=exc.status_code, code="http_error", message=str(exc))

    @api.exception_handler(KefuError)
    def kefu_error(request: HttpRequest, exc: KefuError) -> HttpResponse:
        return envelope(
            api,
            request,
            status=STATUS_BY_CODE.get(exc.code, 400),
            code=exc.code,
            message=exc.message,
            details=list(exc.details),
        )

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s", request.path)
        return envelope(
            api,
            request,
            status=500,
            code="server_error",
            message="Something went wrong on our side; it has been logged",
        )
