"""Offline quick entry on a phone (issue 17): the service worker, the device's outbox and the one
idempotent sync endpoint that runs the same forms and services as the online pages."""
