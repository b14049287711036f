"""Partner postbacks: a partner's server tells us about a sale made with our code.

POST /m/postback/<partner-slug>/ with a JSON or form body (order_id, date, code or sub_id,
amount, commission) and the header `X-Signature: sha256=<hex HMAC-SHA256 of the raw body,
keyed with the partner's postback secret>`. A wrong or missing signature is refused (403)
before anything is read or written; the same order posted twice is stored once.
"""

import json

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..conversions import BadRow, _date, _money, _offer_for, save_conversion, valid_signature
from ..models import Conversion, Partner

MAX_BODY = 16 * 1024


@csrf_exempt
@require_POST
def postback(request: HttpRequest, partner_slug: str) -> JsonResponse:
    partner = get_object_or_404(Partner, slug=partner_slug)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY + 1
    if length > MAX_BODY:
        return JsonResponse({"error": "body too large"}, status=400)
    body = request.read(MAX_BODY + 1)
    if not valid_signature(partner, body, request.META.get("HTTP_X_SIGNATURE", "")):
        return JsonResponse({"error": "bad signature"}, status=403)
    try:
        text = body.decode("utf-8")
        if request.content_type == "application/json":
            data = json.loads(text)
        else:
            from django.http import QueryDict

            data = QueryDict(text).dict()
        if not isinstance(data, dict):
            raise BadRow("body must be an object")
        data = {key: str(value).strip() for key, value in data.items() if isinstance(value, str | int | float)}
        order_id = data.get("order_id", "")
        if not order_id or len(order_id) > 128:
            raise BadRow("order_id is required (up to 128 characters)")
        code, sub_id = data.get("code", "")[:60], data.get("sub_id", "")[:64]
        offer, link = _offer_for(partner, code, sub_id)
        if offer is None:
            raise BadRow(f"no offer of {partner} has the code “{code or sub_id}”")
        fields = {
            "origin": Conversion.POSTBACK,
            "occurred_on": _date(data.get("date", "")),
            "amount": _money(data.get("amount", ""), "amount"),
            "commission": _money(data.get("commission", ""), "commission"),
            "offer": offer,
            "link": link,
            "code": code,
            "tracking_id": sub_id,
            "product": offer.product,
        }
    except (BadRow, UnicodeDecodeError, ValueError) as error:
        return JsonResponse({"error": str(error)}, status=400)
    created = save_conversion(partner, order_id, **fields)
    return JsonResponse({"status": "created" if created else "duplicate"}, status=201 if created else 200)
