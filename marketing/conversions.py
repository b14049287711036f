"""Partner sales: CSV reports, Amazon's earnings report and signed postbacks.

Every way in ends in `save_conversion()`, keyed by (partner, external id), so a report
imported twice or a postback sent twice adds nothing. A bad row never stops the good ones:
each import returns the rows it refused with the reason.
"""

import csv
import hashlib
import hmac
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from .attribution import touch_from_data
from .models import AmazonTrackingID, Conversion, Offer, Partner, Touch, TrackedLink

MAX_ROWS = 50_000

# Accepted spellings of each column, lower-cased and stripped of spaces, '_' and '($)'.
PARTNER_COLUMNS = {
    "order_id": {"orderid", "order", "ordernumber", "transactionid", "id"},
    "date": {"date", "orderdate", "saledate", "created"},
    "code": {"code", "couponcode", "discountcode", "coupon", "promocode"},
    "sub_id": {"subid", "sub", "trackingid", "clickref"},
    "amount": {"amount", "total", "saleamount", "ordertotal", "revenue"},
    "commission": {"commission", "payout", "earnings"},
}
AMAZON_COLUMNS = {
    "name": {"name", "productname", "title"},
    "asin": {"asin"},
    "tracking_id": {"trackingid"},
    "date": {"dateshipped", "date", "shipdate"},
    "price": {"price", "itemprice"},
    "items": {"itemsshipped", "items", "quantity"},
    "returns": {"returns"},
    "revenue": {"revenue"},
    "commission": {"adfees", "earnings", "advertisingfees"},
}


@dataclass
class ImportResult:
    imported: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)

    @property
    def summary(self) -> str:
        return f"{self.imported} imported, {self.duplicates} already there, {len(self.errors)} refused"


class BadRow(ValueError):
    pass


def _norm(header: str) -> str:
    return "".join(ch for ch in header.lower() if ch.isalnum()).removesuffix("usd")


def _map_columns(headers: list[str], spec: dict[str, set[str]]) -> dict[str, int]:
    mapping = {}
    for index, header in enumerate(headers):
        name = _norm(header)
        for column, spellings in spec.items():
            if name in spellings and column not in mapping:
                mapping[column] = index
    return mapping


def _money(value: str, what: str) -> Decimal:
    cleaned = (value or "").strip().replace("$", "").replace(",", "")
    if not cleaned:
        return Decimal("0")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:
        raise BadRow(f"{what} “{value}” is not a number") from error
    if not amount.is_finite() or abs(amount) >= Decimal("1e10"):
        raise BadRow(f"{what} “{value}” is out of range")
    return amount.quantize(Decimal("0.01"))


def _date(value: str) -> date:
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value).date()
    except ValueError as error:
        raise BadRow(f"date “{value}” is not a date (use YYYY-MM-DD)") from error


def _read_rows(data: bytes | str) -> list[list[str]]:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    else:
        text = data
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) > MAX_ROWS:
        raise BadRow(f"the file has more than {MAX_ROWS} rows; split it")
    return rows


def save_conversion(partner: Partner, external_id: str, touch_data: dict | None = None, **fields) -> bool:
    """Store one sale; False when it was already there."""
    if Conversion.objects.filter(partner=partner, external_id=external_id).exists():
        return False
    try:
        with transaction.atomic():
            touch = touch_from_data(touch_data or {})
            if fields.get("offer") is not None and touch.offer is None:
                touch.offer = fields["offer"]
            if fields.get("link") is not None and touch.link is None:
                touch.link = fields["link"]
            if touch.source == "direct" and touch_data is None:
                touch.source = partner.slug
            touch.save()
            Conversion.objects.create(partner=partner, external_id=external_id, touch=touch, **fields)
    except IntegrityError:  # a concurrent import saved it first
        return False
    return True


def _offer_for(partner: Partner, code: str, sub_id: str) -> tuple[Offer | None, TrackedLink | None]:
    link = None
    if sub_id:
        link = TrackedLink.objects.select_related("offer").filter(slug=sub_id).first()
    if code:
        offer = Offer.objects.filter(partner=partner, code__iexact=code).first()
        if offer:
            return offer, link
    if link and link.offer_id:
        return link.offer, link
    return None, link


def import_partner_csv(partner: Partner, data: bytes | str) -> ImportResult:
    result = ImportResult()
    try:
        rows = _read_rows(data)
    except BadRow as error:
        result.errors.append((0, str(error)))
        return result
    if not rows:
        result.errors.append((0, "the file is empty"))
        return result
    columns = _map_columns(rows[0], PARTNER_COLUMNS)
    missing = [name for name in ("order_id", "date") if name not in columns]
    if "code" not in columns and "sub_id" not in columns:
        missing.append("code or sub_id")
    if missing:
        result.errors.append((1, f"missing column(s): {', '.join(missing)}"))
        return result

    def cell(row, name):
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            order_id = cell(row, "order_id")
            if not order_id or len(order_id) > 128:
                raise BadRow("no order id" if not order_id else "order id is too long")
            code, sub_id = cell(row, "code")[:60], cell(row, "sub_id")[:64]
            offer, link = _offer_for(partner, code, sub_id)
            if offer is None:
                raise BadRow(f"no offer of {partner} has the code “{code or sub_id}”")
            fields = {
                "origin": Conversion.IMPORT,
                "occurred_on": _date(cell(row, "date")),
                "amount": _money(cell(row, "amount"), "amount"),
                "commission": _money(cell(row, "commission"), "commission"),
                "offer": offer,
                "link": link,
                "code": code,
                "tracking_id": sub_id,
                "product": offer.product,
            }
        except BadRow as error:
            result.errors.append((line, str(error)))
            continue
        if save_conversion(partner, order_id, **fields):
            result.imported += 1
        else:
            result.duplicates += 1
    return result


def import_amazon_report(partner: Partner, data: bytes | str) -> ImportResult:
    """Amazon Associates' earnings report (Reports › Download › Earnings, CSV). Amazon puts a
    title line above the header; rows are matched to articles by tracking ID."""
    result = ImportResult()
    try:
        rows = _read_rows(data)
    except BadRow as error:
        result.errors.append((0, str(error)))
        return result
    header_at = next((i for i, row in enumerate(rows[:5]) if "tracking_id" in _map_columns(row, AMAZON_COLUMNS)), None)
    if header_at is None:
        result.errors.append((1, "no 'Tracking ID' column: is this Amazon's earnings report?"))
        return result
    columns = _map_columns(rows[header_at], AMAZON_COLUMNS)
    pages = dict(AmazonTrackingID.objects.values_list("tracking_id", "page_id"))
    seen: Counter = Counter()

    def cell(row, name):
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    for line, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(value.strip() for value in row):
            continue
        try:
            tracking_id = cell(row, "tracking_id")
            if not tracking_id:
                raise BadRow("no tracking ID")
            if tracking_id not in pages:
                raise BadRow(f"unknown tracking ID “{tracking_id[:64]}” (add it under Amazon tracking IDs)")
            fields = {
                "origin": Conversion.AMAZON,
                "occurred_on": _date(cell(row, "date")),
                "amount": _money(cell(row, "revenue") or cell(row, "price"), "revenue"),
                "commission": _money(cell(row, "commission"), "ad fees"),
                "tracking_id": tracking_id,
                "product": cell(row, "name")[:255],
            }
        except BadRow as error:
            result.errors.append((line, str(error)))
            continue
        # Amazon's report has no order id: a row is identified by its content and how many
        # identical rows came before it in the file (two identical sales are two rows).
        fingerprint = "|".join(value.strip() for value in row)
        seen[fingerprint] += 1
        external_id = hashlib.sha256(f"{fingerprint}#{seen[fingerprint]}".encode()).hexdigest()[:40]
        page_id = pages[tracking_id]
        if save_conversion(partner, external_id, **fields):
            _attach_page(partner, external_id, page_id)
            result.imported += 1
        else:
            result.duplicates += 1
    return result


def _attach_page(partner: Partner, external_id: str, page_id: int | None) -> None:
    # The page is known from the tracking ID itself; no path routing needed.
    if page_id:
        Touch.objects.filter(partner_conversion__partner=partner, partner_conversion__external_id=external_id).update(
            page_id=page_id, source="amazon", medium="affiliate"
        )


def signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def valid_signature(partner: Partner, body: bytes, header: str) -> bool:
    if not partner.postback_secret or not header:
        return False
    given = header.strip().removeprefix("sha256=")
    return hmac.compare_digest(signature(partner.postback_secret, body), given)
