"""JSON rendering with orjson: several times faster than the standard library on the
large documents incident lists are, with DRF's encoder for the types orjson lacks."""

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_fallback = JSONEncoder().default


class FastJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=_fallback, option=orjson.OPT_PASSTHROUGH_DATETIME)
