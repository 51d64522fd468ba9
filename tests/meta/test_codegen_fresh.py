"""The generated resources and README index are what the generator makes from the table."""

from __future__ import annotations

import ast

from agora_chat_async import _codegen
from agora_chat_async._spec import ENDPOINTS


def test_generated_files_are_fresh() -> None:
    stale = [
        str(path.relative_to(_codegen.PACKAGE.parent))
        for path, text in _codegen.outputs().items()
        if not path.exists() or path.read_text() != text
    ]
    assert stale == [], "run: python -m agora_chat_async._codegen"


def test_check_mode_reports_stale_files(tmp_path, monkeypatch) -> None:
    target = tmp_path / "users.py"
    target.write_text("# edited by hand\n")
    monkeypatch.setattr(_codegen, "outputs", lambda: {target: "generated\n"})
    assert _codegen.main(["--check"]) == 1
    assert target.read_text() == "# edited by hand\n"
    assert _codegen.main([]) == 0
    assert target.read_text() == "generated\n"
    assert _codegen.main(["--check"]) == 0


def test_every_typed_endpoint_has_a_generated_method_with_its_signature() -> None:
    from agora_chat_async import AgoraChatClient

    client = AgoraChatClient(host="api.test", org_name="o", app_name="a", token="t")
    for endpoint in ENDPOINTS:
        if not endpoint.typed:
            continue
        owner: object = client
        for part in endpoint.resource.split("."):
            owner = getattr(owner, part)
        method = getattr(owner, endpoint.method_name)
        source = ast.parse(_codegen.render_module(endpoint.name.split(".")[0], [endpoint]))
        generated = [
            node.name
            for node in ast.walk(source)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        assert endpoint.method_name in generated
        assert endpoint.path in (method.__doc__ or ""), endpoint.name
        for param in endpoint.params:
            assert param.name in method.__code__.co_varnames, (endpoint.name, param.name)


def test_class_names() -> None:
    assert _codegen.class_name("users") == "Users"
    assert _codegen.class_name("groups.members") == "GroupMembers"
    assert _codegen.class_name("chatrooms.super_admins") == "ChatroomSuperAdmins"
