"""The online half of a diagnosis: fetching missing intermediates and asking whether certificates are revoked.

Everything here is optional: without an OnlineChecks object the engine works offline and says so.
"""
