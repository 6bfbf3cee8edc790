"""W3C Bitstring Status List v1.0: publish, allocate and check credential status."""

from openler.core.status.bitstring import (
    MIN_ENTRIES,
    BitstringStatusList,
    StatusListFullError,
    decode_bits,
)
from openler.core.status.check import CachedList, StatusListCache, StatusResult, check_status
from openler.core.status.credential import (
    STATUS_PURPOSES,
    status_entry,
    status_list_credential,
)

__all__ = [
    "MIN_ENTRIES",
    "STATUS_PURPOSES",
    "BitstringStatusList",
    "CachedList",
    "StatusListCache",
    "StatusListFullError",
    "StatusResult",
    "check_status",
    "decode_bits",
    "status_entry",
    "status_list_credential",
]
