"""The HTTP service: Perspective-compatible API, native API, auth and the app factory `create_app`."""
