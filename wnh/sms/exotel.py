"""Exotel's SMS API (SMS_URL=exotel://): a DLT-registered Indian provider, over HTTPS.

What Exotel documents (developer.exotel.com, "Send SMS"), and what this sends, one POST a
message to `<base>/v1/Accounts/<account sid>/Sms/send`, form-encoded in UTF-8:

    From           the DLT-registered sender header (SMS_SENDER)
    To             the number, E.164
    Body           the text, exactly as its DLT template with the variables filled in
    DltEntityId    the principal entity's DLT id (SMS_DLT_ENTITY_ID)
    DltTemplateId  the DLT template of the message's kind (SMS_TEMPLATE_<KIND>)
    SmsType        transactional
    EncodingType   unicode for Malayalam (anything outside ASCII), plain otherwise

The API key and token go in an HTTP Basic Authorization header (Exotel's examples put them
in the URL as user:password@, which is the same header), never in the URL: nothing that
logs a URL or an exception can show them, and no message of ours names them.

Exotel answers 200/202 when it has taken the message. A timeout, a connection error, a 5xx,
408 or 429 (its rate limit, "retry with exponential backoff") raise `Unavailable`; any other
answer raises `Refused` with Exotel's own reason (RestException's Message), never retried.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request

from wnh.sms import Refused, Sms, Unavailable

logger = logging.getLogger("wnh.sms")

# Worth another try later: the provider's rate limit and its request timeout.
RETRYABLE_4XX = (408, 429)


class ExotelBackend:
    def __init__(
        self,
        *,
        base_url: str,
        account_sid: str,
        api_key: str,
        api_token: str,
        entity_id: str,
        sender: str,
        templates: dict[str, str],
        timeout: float = 10.0,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/v1/Accounts/{urllib.parse.quote(account_sid)}/Sms/send"
        credentials = base64.b64encode(f"{api_key}:{api_token}".encode()).decode("ascii")
        self._authorization = f"Basic {credentials}"
        self.entity_id, self.sender, self.templates = entity_id, sender, templates
        self.timeout = timeout
        # No proxy from the environment and no redirects followed: the request goes where
        # the settings say, or fails.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def fields(self, sms: Sms) -> dict[str, str]:
        """The form Exotel is sent for `sms`."""
        if sms.kind not in self.templates:
            raise Refused(f"No DLT template id is set for SMS of kind {sms.kind!r}")
        return {
            "From": self.sender,
            "To": sms.to,
            "Body": sms.text,
            "DltEntityId": self.entity_id,
            "DltTemplateId": self.templates[sms.kind],
            "SmsType": "transactional",
            "EncodingType": "plain" if sms.text.isascii() else "unicode",
        }

    def send(self, sms: Sms) -> None:
        body = urllib.parse.urlencode(self.fields(sms), encoding="utf-8").encode("ascii")
        request = urllib.request.Request(  # noqa: S310 - https://, or a test's fake on 127.0.0.1
            self.url,
            data=body,
            method="POST",
            headers={
                "Authorization": self._authorization,
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status, answer = response.status, response.read(4096)
        except urllib.error.HTTPError as error:
            status, answer = error.code, error.read(4096)
        except (OSError, http.client.HTTPException) as error:
            # A timeout, a refused connection, a name that did not resolve, a TLS failure.
            # Only the error's type: its text may hold the URL (no secret in it, but no need).
            raise Unavailable(f"Exotel did not answer ({type(error).__name__})") from None
        if 200 <= status < 300:
            logger.info("SMS (%s) taken by Exotel (%s)", sms.kind, status)
            return
        reason = _reason(answer)
        if status >= 500 or status in RETRYABLE_4XX:
            raise Unavailable(f"Exotel answered {status}: {reason}")
        raise Refused(f"Exotel refused the SMS ({sms.kind}) with {status}: {reason}")


def _reason(answer: bytes) -> str:
    """Exotel's RestException Message (JSON or XML), else the start of the answer."""
    text = answer.decode("utf-8", errors="replace")
    try:
        message = json.loads(text).get("RestException", {}).get("Message")
    except (ValueError, AttributeError):
        found = re.search(r"<Message>(.*?)</Message>", text, re.DOTALL)
        message = found.group(1) if found else None
    return (message or text or "no reason given").strip()[:200]
