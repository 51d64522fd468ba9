"""Request and response structs (msgspec), re-exported from the package root too."""

from ._base import (
    DataEnvelope,
    EntitiesEnvelope,
    Envelope,
    Model,
    PropertiesEnvelope,
    ResultEnvelope,
)
from .callbacks import StoredCallbackSet
from .chatrooms import ChatroomAttributeResult, ChatroomDetail, ChatroomSummary, JoinedChatroom
from .contacts import Contact, ContactPage, ImportedContacts
from .files import UploadedFile
from .global_mutes import GlobalMute, GlobalMutePage
from .groups import (
    AddedMembers,
    GroupDetail,
    GroupFile,
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
from .presence import Subscription, SubscriptionPage, UserPresence
from .push import NotificationSetting
from .push_management import LabelUser, LabelUsersChange, PushLabel, PushResult
from .push_templates import PushTemplate
from .reactions import MessageReactions, Reaction, ReactionDetail, ReactionStatus, ReactionSummary
from .threads import Thread, ThreadAffiliations, ThreadMemberRemoval
from .users import DeletedUsers, Device, RegisterFailure, RegisterManyResponse, RegisterUser, User

__all__ = [
    "AddedMembers",
    "ChatroomAttributeResult",
    "ChatroomDetail",
    "ChatroomSummary",
    "Contact",
    "ContactPage",
    "DataEnvelope",
    "DeletedUsers",
    "Device",
    "EntitiesEnvelope",
    "Envelope",
    "GlobalMute",
    "GlobalMutePage",
    "GroupDetail",
    "GroupFile",
    "GroupSummary",
    "HistoryFile",
    "ImportedContacts",
    "JoinedChatroom",
    "JoinedGroup",
    "LabelUser",
    "LabelUsersChange",
    "Member",
    "MemberResult",
    "MessageReactions",
    "MessageType",
    "Model",
    "MuteResult",
    "MutedUser",
    "NotificationSetting",
    "PropertiesEnvelope",
    "PushLabel",
    "PushResult",
    "PushTemplate",
    "Reaction",
    "ReactionDetail",
    "ReactionStatus",
    "ReactionSummary",
    "RecallResponse",
    "RecallResult",
    "RegisterFailure",
    "RegisterManyResponse",
    "RegisterUser",
    "ResultEnvelope",
    "RoomDetail",
    "StoredCallbackSet",
    "Subscription",
    "SubscriptionPage",
    "Thread",
    "ThreadAffiliations",
    "ThreadMemberRemoval",
    "UploadedFile",
    "User",
    "UserPresence",
]
