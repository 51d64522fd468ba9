"""Request and response structs (msgspec), re-exported from the package root too."""

from ._base import DataEnvelope, EntitiesEnvelope, Envelope, Model, PropertiesEnvelope
from .chatrooms import ChatroomDetail, ChatroomSummary, JoinedChatroom
from .files import UploadedFile
from .groups import (
    AddedMembers,
    GroupDetail,
    GroupSummary,
    JoinedGroup,
    Member,
    MemberResult,
    MutedUser,
    MuteResult,
    RoomDetail,
)
from .message_admin import HistoryFile, RecallResponse, RecallResult
from .messages import MessageType
from .threads import Thread, ThreadAffiliations, ThreadMemberRemoval
from .users import DeletedUsers, RegisterFailure, RegisterManyResponse, RegisterUser, User

__all__ = [
    "AddedMembers",
    "ChatroomDetail",
    "ChatroomSummary",
    "DataEnvelope",
    "DeletedUsers",
    "EntitiesEnvelope",
    "Envelope",
    "GroupDetail",
    "GroupSummary",
    "HistoryFile",
    "JoinedChatroom",
    "JoinedGroup",
    "Member",
    "MemberResult",
    "MessageType",
    "Model",
    "MuteResult",
    "MutedUser",
    "PropertiesEnvelope",
    "RecallResponse",
    "RecallResult",
    "RegisterFailure",
    "RegisterManyResponse",
    "RegisterUser",
    "RoomDetail",
    "Thread",
    "ThreadAffiliations",
    "ThreadMemberRemoval",
    "UploadedFile",
    "User",
]
