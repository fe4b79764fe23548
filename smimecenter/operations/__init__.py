"""Running the site in production: client addresses behind proxies, request logs, health probes and
the checks that a deployment is configured to share its state."""
