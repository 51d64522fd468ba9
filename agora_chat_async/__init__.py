"""Typed asyncio client for the Agora Chat server REST API, with a bundled emulator.

from agora_chat_async import AgoraChatClient

async with AgoraChatClient(host=..., org_name=..., app_name=...,
                           app_id=..., app_certificate=...) as client:
    user = await client.users.register("alice", password="pw")
"""

from ._auth import (
    AppTokenProvider as AppTokenProvider,
    CachedTokenProvider as CachedTokenProvider,
    CallableTokenProvider as CallableTokenProvider,
    StaticToken as StaticToken,
    TokenProvider as TokenProvider,
)
from ._bulk import (
    BulkFailure as BulkFailure,
    BulkResult as BulkResult,
    ProgressCallback as ProgressCallback,
)
from ._client import AgoraChatClient as AgoraChatClient, RetryPolicy as RetryPolicy
from ._errors import (
    AgoraChatError as AgoraChatError,
    APIConnectionError as APIConnectionError,
    APIStatusError as APIStatusError,
    APITimeoutError as APITimeoutError,
    AuthenticationError as AuthenticationError,
    BadRequestError as BadRequestError,
    NotFoundError as NotFoundError,
    PermissionDeniedError as PermissionDeniedError,
    RateLimitError as RateLimitError,
    RequestTooLargeError as RequestTooLargeError,
    ResponseValidationError as ResponseValidationError,
    ServerError as ServerError,
)
from ._pagination import AsyncPager as AsyncPager, Page as Page
from ._spec import ENDPOINTS as ENDPOINTS, Endpoint as Endpoint
from ._transport import AiohttpTransport as AiohttpTransport, Timeout as Timeout
from ._upload import FileSource as FileSource
from ._version import __version__ as __version__
from .models import (
    AddedMembers as AddedMembers,
    ChatroomDetail as ChatroomDetail,
    ChatroomSummary as ChatroomSummary,
    DeletedUsers as DeletedUsers,
    GroupDetail as GroupDetail,
    GroupSummary as GroupSummary,
    HistoryFile as HistoryFile,
    JoinedChatroom as JoinedChatroom,
    JoinedGroup as JoinedGroup,
    Member as Member,
    MemberResult as MemberResult,
    MessageType as MessageType,
    MutedUser as MutedUser,
    MuteResult as MuteResult,
    RecallResponse as RecallResponse,
    RecallResult as RecallResult,
    RegisterFailure as RegisterFailure,
    RegisterManyResponse as RegisterManyResponse,
    RegisterUser as RegisterUser,
    RoomDetail as RoomDetail,
    Thread as Thread,
    ThreadAffiliations as ThreadAffiliations,
    ThreadMemberRemoval as ThreadMemberRemoval,
    UploadedFile as UploadedFile,
    User as User,
)
from .tokens import TokenError as TokenError

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AddedMembers",
    "AgoraChatClient",
    "AgoraChatError",
    "AiohttpTransport",
    "AppTokenProvider",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "BulkFailure",
    "BulkResult",
    "CachedTokenProvider",
    "CallableTokenProvider",
    "ChatroomDetail",
    "ChatroomSummary",
    "DeletedUsers",
    "ENDPOINTS",
    "Endpoint",
    "FileSource",
    "GroupDetail",
    "GroupSummary",
    "HistoryFile",
    "JoinedChatroom",
    "JoinedGroup",
    "Member",
    "MemberResult",
    "MessageType",
    "MuteResult",
    "MutedUser",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "ProgressCallback",
    "RateLimitError",
    "RecallResponse",
    "RecallResult",
    "RegisterFailure",
    "RegisterManyResponse",
    "RegisterUser",
    "RoomDetail",
    "RequestTooLargeError",
    "ResponseValidationError",
    "RetryPolicy",
    "ServerError",
    "StaticToken",
    "Thread",
    "ThreadAffiliations",
    "ThreadMemberRemoval",
    "Timeout",
    "TokenError",
    "TokenProvider",
    "UploadedFile",
    "User",
    "__version__",
]
