"""Long articles: the article form takes more than Django's request limit, and says so.

Django refuses a request body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) with a bare 400, and
the editor's text is gone. For an editor's POST to the article add or change form the middleware
below reads the body itself, up to ``ARTICLE_FORM_UPLOAD_MAX_SIZE`` (10 MB by default), so the
form can check the text's own size (``ARTICLE_BODY_MAX_SIZE``, ``ArticleForm.clean_body``) and
show the form again with an error and everything typed. A body over even that limit is answered
413 with a page saying what happened and how to get the text back. Every other request keeps
Django's limit.
"""

from io import BytesIO

from django.conf import settings
from django.contrib import admin
from django.http.request import UnreadablePostError
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve

ARTICLE_FORMS = frozenset({"articles_article_add", "articles_article_change"})
# The article form has no file field, so browsers send it urlencoded. (Django's multipart parser
# checks DATA_UPLOAD_MAX_MEMORY_SIZE again on its own: a multipart submit keeps Django's limit,
# and over it gets the same page.)
FORM_TYPE = "application/x-www-form-urlencoded"


def _is_article_form(request):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.namespace == "admin" and match.url_name in ARTICLE_FORMS


def too_large(request, length, limit):
    """The page for a submit larger than the article form takes (413)."""
    context = {
        **admin.site.each_context(request),
        "title": "Article not saved: too long",
        "sent": filesizeformat(length),
        "form_limit": filesizeformat(limit),
        "body_limit": filesizeformat(settings.ARTICLE_BODY_MAX_SIZE),
        "form_url": request.path,
    }
    return TemplateResponse(request, "admin/articles/too_large.html", context, status=413)


class ArticleFormUploadMiddleware:
    """Let editors send the article form up to ``ARTICLE_FORM_UPLOAD_MAX_SIZE`` (after
    ``AuthenticationMiddleware``, before anything reads ``request.POST``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE and self._applies(request):
                limit = self._limit(request)
                if length > limit:
                    return too_large(request, length, limit).render()
                self._read_body(request)
        return self.get_response(request)

    @staticmethod
    def _applies(request):
        return request.user.is_active and request.user.is_staff and _is_article_form(request)

    @staticmethod
    def _limit(request):
        if request.content_type == FORM_TYPE:
            return settings.ARTICLE_FORM_UPLOAD_MAX_SIZE
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    @staticmethod
    def _read_body(request):
        # What HttpRequest.body does, without its size check; the form then reads the fields
        # from the body already in memory.
        try:
            request._body = request.read()
        except OSError as error:
            raise UnreadablePostError(*error.args) from error
        request._stream = BytesIO(request._body)
