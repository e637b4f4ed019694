"""The moderator web app: server-rendered pages (Jinja2, autoescaped), one small script, no CDN."""
