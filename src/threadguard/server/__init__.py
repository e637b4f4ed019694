"""What the APIs (threadguard.service) and the moderator pages (threadguard.web) share: settings, the
runtime every handler reads, who is calling (keys, scopes, sessions), login throttling and the error
shape. It imports neither of them; threadguard.app assembles all three."""
