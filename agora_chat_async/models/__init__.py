"""Request and response structs (msgspec), re-exported from the package root too."""

from ._base import DataEnvelope, EntitiesEnvelope, Envelope, Model, PropertiesEnvelope
from .messages import MessageType
from .users import (
    DeletedUsers,
    RegisterFailure,
    RegisterManyResponse,
    RegisterUser,
    User,
)

__all__ = [
    "DataEnvelope",
    "DeletedUsers",
    "EntitiesEnvelope",
    "Envelope",
    "MessageType",
    "Model",
    "PropertiesEnvelope",
    "RegisterFailure",
    "RegisterManyResponse",
    "RegisterUser",
    "User",
]
