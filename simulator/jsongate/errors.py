"""The texts jsonGate answers with, verbatim from the document.

Request-level errors come back as `{"error": text}` with HTTP 200; per-abonent
errors of a `sms` request come back in that abonent's `action`.
"""

from __future__ import annotations

# Request level.
BAD_FORMAT = "Неправильный формат JSON документа"
BAD_LOGIN = "Неправильный логин или пароль"
NO_POST_DATA = "POST данные отсутствуют"
ACCOUNT_BLOCKED = "Ваш аккаунт заблокирован"
NO_SUCH_BASE = "Базы с таким номером не существует"
BAD_DATE = "Некорректный формат даты"
NO_SUCH_OPERATOR = "Такой оператор не обнаружен"

# Per abonent (`action` of a `sms` answer), numbered as in the document.
PROVIDER_OUT_OF_SMS = "У нас закончились SMS. Для разрешения проблемы свяжитесь с менеджером."
OUT_OF_SMS = "Закончились SMS."
SENDING_BLOCKED = "Аккаунт заблокирован."
NO_PHONE = "Укажите номер телефона."
PHONE_STOPPED = "Номер телефона присутствует в стоп-листе."
AREA_DENIED = "Данное направление закрыто для вас."
AREA_CLOSED = "Данное направление закрыто."
NO_MONEY = (
    "Недостаточно средств для отправки SMS. "
    "SMS будет отправлена как только вы пополните счет по данному направлению."
)
TEXT_REJECTED = "Текст SMS отклонен модератором."
NO_SENDER = "Нет отправителя."
SENDER_TOO_LONG = (
    "Отправитель не должен превышать 15 символов для цифровых номеров "
    "и 11 символов для буквенно-числовых."
)
BAD_PHONE = "Номер телефона должен быть меньше 15 символов."
NO_TEXT = "Нет текста сообщения."
NO_URL = "Нет ссылки."
UNKNOWN_SENDER = "Такого отправителя Нет."
SENDER_NOT_APPROVED = "Отправитель не прошел модерацию."
ALREADY_SENT = "Данное сообщение уже было отправлено."

ABONENT_ERRORS = (
    PROVIDER_OUT_OF_SMS,
    OUT_OF_SMS,
    SENDING_BLOCKED,
    NO_PHONE,
    PHONE_STOPPED,
    AREA_DENIED,
    AREA_CLOSED,
    NO_MONEY,
    TEXT_REJECTED,
    NO_SENDER,
    SENDER_TOO_LONG,
    BAD_PHONE,
    NO_TEXT,
    NO_URL,
    UNKNOWN_SENDER,
    SENDER_NOT_APPROVED,
    ALREADY_SENT,
)


class GateError(Exception):
    """A request-level error: the whole answer becomes `{"error": text}`."""

    def __init__(self, text: str) -> None:
        """Keep the gateway's error text."""
        super().__init__(text)
        self.text = text
