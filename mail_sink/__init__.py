"""A local SMTP server for development and the tests: it keeps every mail and shows it on a page.

The API's worker sends email through smtplib to it (SMTP_HOST=localhost, SMTP_PORT=MAIL_SINK_SMTP_PORT);
nothing leaves the machine. Mail is kept in memory only (the last 1,000), and read back at
http://localhost:MAIL_SINK_HTTP_PORT (a page per message, the raw .eml, and JSON at /api/messages).
aiosmtpd, the standard library and Jinja2 only: no FastAPI, no database, no package of ours.

    python -m mail_sink --smtp-port 8026 --http-port 8027
"""
