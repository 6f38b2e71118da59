"""Checks JSON documents against Emby's own models in the `embyclient` PyPI package.

Input (argv[1]): a JSON file holding a list of {"label", "model", "doc"}, where "model" is a
swagger type expression such as "PublicSystemInfo", "list[UserDto]" or "dict(str, str)".
Output (stdout): a JSON list of {"label", "errors": [..]}. A document fails on a key the model
does not have, a JSON type other than the model's, or an enum value outside the model.
Every field of these models is optional, so a missing key is fine.
"""
import json
import re
import sys

import emby_client.models as M

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


def enum_values(cls):
    return {v for k, v in vars(cls).items() if k.isupper() and isinstance(v, str)}


def check(t, value, path, errors):
    t = t.strip()
    if value is None:
        return  # nullable, like every swagger model field
    if t.startswith("list[") and t.endswith("]"):
        if not isinstance(value, list):
            errors.append(f"{path}: expected a list ({t}), got {type(value).__name__}")
            return
        for i, item in enumerate(value):
            check(t[5:-1], item, f"{path}[{i}]", errors)
        return
    if t.startswith("dict(") and t.endswith(")"):
        if not isinstance(value, dict):
            errors.append(f"{path}: expected an object ({t}), got {type(value).__name__}")
            return
        inner = t[5:-1].split(",", 1)[1]
        for k, v in value.items():
            check(inner, v, f"{path}.{k}", errors)
        return
    if t == "str":
        if not isinstance(value, str):
            errors.append(f"{path}: expected a string, got {json.dumps(value)[:40]}")
        return
    if t == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append(f"{path}: expected an integer, got {json.dumps(value)[:40]}")
        return
    if t == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(f"{path}: expected a number, got {json.dumps(value)[:40]}")
        return
    if t == "bool":
        if not isinstance(value, bool):
            errors.append(f"{path}: expected a boolean, got {json.dumps(value)[:40]}")
        return
    if t in ("datetime", "date"):
        if not isinstance(value, str) or not ISO_DATE.match(value):
            errors.append(f"{path}: expected an ISO 8601 date, got {json.dumps(value)[:40]}")
        return
    if t == "object":
        return
    cls = getattr(M, t, None)
    if cls is None:
        errors.append(f"{path}: the model {t} does not exist in embyclient")
        return
    types = getattr(cls, "swagger_types", {}) or {}
    if not types and issubclass(cls, dict):
        # a map model with no fields of its own (ProviderIdDictionary): string keys to strings
        check("dict(str, str)", value, path, errors)
        return
    if not types:
        allowed = enum_values(cls)
        if allowed:
            if not isinstance(value, str) or value not in allowed:
                errors.append(f"{path}: {json.dumps(value)[:40]} is not a {t} (allowed: {sorted(allowed)})")
        return
    if not isinstance(value, dict):
        errors.append(f"{path}: expected a {t} object, got {type(value).__name__}")
        return
    by_json_key = {cls.attribute_map[attr]: ftype for attr, ftype in types.items()}
    for key, v in value.items():
        if key not in by_json_key:
            errors.append(f"{path}.{key}: {t} has no such key")
            continue
        check(by_json_key[key], v, f"{path}.{key}", errors)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    out = []
    for case in cases:
        errors = []
        check(case["model"], case["doc"], case["model"], errors)
        out.append({"label": case["label"], "errors": errors})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
