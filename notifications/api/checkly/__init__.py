"""Checkly's subscription operations, over the notifications services. The dialect's
plumbing (keys, roles, errors, ids, its OpenAPI document) is ``statuspages.api.checkly``."""
