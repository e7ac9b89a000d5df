"""The data models: frozen, validated, and the source of the published JSON Schemas.

Import each from its module (`openres_check.model.context`, ...): a run loads only the
models it uses.
"""
