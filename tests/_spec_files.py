"""Locate the shared API notes (endpoint table, documented examples) beside the checkout.

CI lays ``shared/`` next to the clone, as on the developers' machines; set
``AGORA_SPEC_DIR`` to point elsewhere.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = Path(os.environ.get("AGORA_SPEC_DIR", ROOT.parent / "shared" / "spec"))


def spec_file(name: str) -> Path:
    path = SPEC_DIR / name
    if not path.exists():
        pytest.skip(f"{path} is not available (set AGORA_SPEC_DIR)", allow_module_level=True)
    return path


def lenient_json(text: str) -> Any:
    """Parse the docs' JSON: ``//`` comments, trailing commas and a missing comma occur."""
    text = re.sub(r"(?m)^\s*//.*$|(?<=[,{\[\s])//[^\n\"]*$", "", text)
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        # One example lacks the comma between a string value and the next key.
        return json.loads(re.sub(r'"(\s*\n\s*)"', r'",\1"', text))


#: Typos in four examples that no general rule mends, by doc section: (old, new).
REPAIRS = {
    "Retrieving group details": (
        '"public": false\n      }\n    "duration"',  # the data list is never closed
        '"public": false\n      }],\n    "duration"',
    ),
    "Modifying group information": ('"groupname": true\n', '"groupname": true,\n'),
    'Muting all <Vg k="CHAT_GROUP_LOWER"/> members': (
        '"timestamp": org_name94628861058',  # a placeholder ate the leading digits
        '"timestamp": 1694628861058',
    ),
    "Retrieve the subscriptions of a user": ("}]}}%", "}]}}"),  # a shell prompt's "%"
}


def doc_examples() -> list[dict[str, Any]]:
    data = json.loads(spec_file("doc_response_examples.json").read_text())
    examples: list[dict[str, Any]] = data["examples"]
    for example in examples:
        if example["section"] in REPAIRS:
            old, new = REPAIRS[example["section"]]
            assert old in example["body"], f"repair of {example['section']!r} no longer applies"
            example["body"] = example["body"].replace(old, new)
    return examples


def normalise_path(path: str) -> str:
    """``/users/{userName}`` and ``/chatmessages/${time}`` -> placeholders as ``{}``."""
    return re.sub(r"\$?\{[^}]*\}", "{}", path)
