"""An asyncio client for jsonGate SMS gateways and the Scorocode push API.

Knows nothing of Home Assistant: it takes the caller's `aiohttp.ClientSession`, returns frozen
records and raises `GatewayError` for the gateway's problems, `InvalidInputError` for the caller's.
"""

from .errors import AccountBlockedError as AccountBlockedError
from .errors import AuthenticationError as AuthenticationError
from .errors import CommunicationError as CommunicationError
from .errors import GatewayError as GatewayError
from .errors import InvalidInputError as InvalidInputError
from .errors import InvalidPhoneNumberError as InvalidPhoneNumberError
from .errors import InvalidResponseError as InvalidResponseError
from .errors import InvalidSenderError as InvalidSenderError
from .errors import RequestRefusedError as RequestRefusedError
from .errors import RequestTimeoutError as RequestTimeoutError
from .jsongate import JsonGateClient as JsonGateClient
from .jsongate import endpoint_url as endpoint_url
from .models import Abonent as Abonent
from .models import Balance as Balance
from .models import ChangeAction as ChangeAction
from .models import Contact as Contact
from .models import ContactListUpdate as ContactListUpdate
from .models import DeliveryStatus as DeliveryStatus
from .models import GatewayTime as GatewayTime
from .models import Gender as Gender
from .models import IncomingSms as IncomingSms
from .models import MessageType as MessageType
from .models import OutgoingMessage as OutgoingMessage
from .models import Sender as Sender
from .models import SenderList as SenderList
from .models import SendErrorKind as SendErrorKind
from .models import SenderState as SenderState
from .models import SendReport as SendReport
from .models import SendResult as SendResult
from .models import StatisticsQuery as StatisticsQuery
from .models import TemplateUpdate as TemplateUpdate
from .outgoing import ClientIdGenerator as ClientIdGenerator
from .outgoing import checked_message as checked_message
from .outgoing import normalize_phones as normalize_phones
from .phone import validate_sender as validate_sender
from .scorocode import DEFAULT_SCOROCODE_URL as DEFAULT_SCOROCODE_URL
from .scorocode import Collection as Collection
from .scorocode import ScorocodeClient as ScorocodeClient
