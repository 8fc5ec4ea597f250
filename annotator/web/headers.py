"""The headers every answer carries, so that the browser keeps the pages to what they are:

- a Content-Security-Policy that lets a page run only the site's own scripts and styles, load
  images only from the site (or data: URLs) and talk only to the site, and that no other page
  may frame (a signed-in page in a hidden frame is how a click is stolen). Hostile text that
  escaped into a page (guidelines, documents, notes) still could not run a script, load a
  tracking image or send a form elsewhere;
- X-Frame-Options for browsers that predate frame-ancestors, nosniff so that a download or a
  JSON answer is never read as a script or a page;
- a Referrer-Policy that never tells another site which page of this one a link came from;
- Cache-Control: no-store on everything but the static files, as pages and API answers show
  labels, notes, other annotators' work and new tokens, which must not stay in a shared cache
  or in the browser's after sign-out;
- Strict-Transport-Security when the request came over HTTPS.
"""

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",  # htmx, and the annotate screen's session check
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",  # no other site's window keeps a handle on ours
    "Cross-Origin-Resource-Policy": "same-origin",  # nor loads our answers as its images or scripts
}
STATIC_ENDPOINT = "static"
HSTS = "max-age=31536000"


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    if request.endpoint != STATIC_ENDPOINT:
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response
