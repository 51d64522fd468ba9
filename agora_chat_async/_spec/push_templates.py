"""Push templates: named notification title/content patterns with ``{0}`` variables.

Beyond Agora's overview table (``overview=False``); documented on its offline-push
configuration page (100 calls/s each there; an older Easemob limits page says 10/s).
The receiver's template (``PUT /users/{username}/notification/template``) is not
typed: Agora's page does not document its body.
"""

from __future__ import annotations

from ..models.push_templates import PushTemplate
from ._types import DOCS, Endpoint, Param, path_param

__all__ = ["HELPERS", "ROWS"]

_PUSH = DOCS + "offline-push-configuration"

_NAME = path_param("name", "The template's name.")

ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="push_templates.create",
        method="POST",
        path="/notification/template",
        area="push_templates",
        summary="Create a push template (one with the same name is replaced).",
        docs=_PUSH,
        params=(
            Param(
                name="name",
                type="str",
                location="body",
                positional=True,
                check="nonempty",
                doc="The template's name.",
            ),
            Param(
                name="title_pattern",
                type="str",
                location="body",
                check="template_pattern",
                doc='The title, with variables such as {0} ("Hello,{0}").',
            ),
            Param(
                name="content_pattern",
                type="str",
                location="body",
                check="template_pattern",
                doc="The text, with variables such as {0} and {1}.",
            ),
        ),
        returns=PushTemplate,
        result="PushTemplate",
        retry_safe=True,  # the same name and patterns again change nothing
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push_templates.get",
        method="GET",
        path="/notification/template/{name}",
        area="push_templates",
        summary="Get a push template by name.",
        docs=_PUSH,
        params=(_NAME,),
        returns=PushTemplate,
        result="PushTemplate",
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push_templates.delete",
        method="DELETE",
        path="/notification/template/{name}",
        area="push_templates",
        summary="Delete a push template; the deleted template.",
        docs=_PUSH,
        params=(_NAME,),
        returns=PushTemplate,
        result="PushTemplate",
        typed=True,
        overview=False,
    ),
)

HELPERS: tuple[Endpoint, ...] = ()
