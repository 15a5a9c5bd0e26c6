"""Backup services: snapshot, check, manifest, index sync, retention, restore, schedule.

Every function is keyword-only, never prints, and takes a progress callback
where the work is long. Failures raise BackupError with a sentence a person
can act on.
"""
