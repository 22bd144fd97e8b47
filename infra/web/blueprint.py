"""The services' API blueprint: flask-smorest's, with a parser that reads a JSON body strictly, once."""

from __future__ import annotations

import json
from typing import Any

import flask_smorest
import marshmallow as ma
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from infra.web.errors import MESSAGES
from infra.web.http import abort


class _RepeatedKey(ValueError):
    """A JSON object names the same key twice."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _RepeatedKey(key)
        found[key] = value
    return found


class Parser(FlaskParser):
    """webargs' Flask parser that builds each argument schema once and reads JSON strictly.

    Python's reader keeps the last of two equal keys (the first would be lost without a word) and
    raises RecursionError on deep nesting (a 500): both are a 400 saying so.
    """

    def __init__(self) -> None:
        super().__init__()
        self._schemas: dict[type[ma.Schema], ma.Schema] = {}

    def _get_schema(self, argmap, req) -> ma.Schema:
        # webargs builds a schema given as a class anew for every request; a schema keeps no state of a load.
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            schema = self._schemas.get(argmap)
            if schema is None:
                schema = self._schemas[argmap] = argmap()
            return schema
        return super()._get_schema(argmap, req)

    def load_querystring(self, req, schema: ma.Schema) -> Any:
        # A parameter given twice would silently take its first value: say so instead (lists may repeat).
        repeated = sorted(
            name for name in req.args
            if len(req.args.getlist(name)) > 1 and not isinstance(schema.fields.get(name), ma.fields.List)
        )
        if repeated:
            abort(422, message=MESSAGES[422], errors={"query": {name: ["Podaj ten parametr tylko raz."] for name in repeated}})
        return super().load_querystring(req, schema)

    def _raw_load_json(self, req) -> Any:
        if not is_json_request(req):
            return core.missing
        try:
            return json.loads(req.get_data(cache=True).decode("utf-8"), object_pairs_hook=_object)
        except _RepeatedKey as exc:
            abort(400, message=f"Pole „{exc}” występuje w tym samym obiekcie JSON więcej niż raz.")
        except RecursionError:
            abort(400, message="Dokument JSON jest zagnieżdżony zbyt głęboko.")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            self._handle_invalid_json_error(exc, req)
        except ValueError:  # Python's own limit: an integer of over 4,300 digits
            abort(400, message="Liczba w dokumencie JSON ma zbyt wiele cyfr.")


class Blueprint(flask_smorest.Blueprint):
    """Every API blueprint of the services (flask-smorest's, with `Parser`)."""

    ARGUMENTS_PARSER = Parser()
