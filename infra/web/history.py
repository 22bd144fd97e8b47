"""The answer of every history endpoint: one entry per event of an aggregate (see infra.eventstore.history)."""

from marshmallow import fields

from infra.web import fields as f


class HistoryEntry(f.Schema):
    sequence = fields.Integer()
    type = fields.String()
    time = fields.DateTime()
    actor = fields.String()
    correlation_id = fields.String(allow_none=True)
    data = fields.Dict()
