import json
from decimal import Decimal

import pytest

from marketing.conversions import import_amazon_report, import_partner_csv, signature
from marketing.factories import PartnerFactory
from marketing.models import Conversion

PARTNER_CSV = """Order ID,Order Date,Coupon Code,Order Total,Commission
1001,2026-11-02,M4LPT,$59.00,11.80
1002,11/03/2026,m4lpt,49.50,9.90
1003,2026-11-04,NOPE,10,1
,2026-11-05,M4LPT,10,1
1005,yesterday,M4LPT,10,1
1006,2026-11-06,M4LPT,ten dollars,1
"""


def test_partner_csv_imports_good_rows_and_lists_bad_ones(offer):
    result = import_partner_csv(offer.partner, PARTNER_CSV.encode())
    assert (result.imported, result.duplicates) == (2, 0)
    reasons = dict(result.errors)
    assert set(reasons) == {4, 5, 6, 7}
    assert "NOPE" in reasons[4]
    assert "order id" in reasons[5]
    assert "yesterday" in reasons[6]
    assert "ten dollars" in reasons[7]
    sale = Conversion.objects.get(external_id="1001")
    assert (sale.offer, sale.amount, sale.commission, sale.code) == (offer, Decimal("59.00"), Decimal("11.80"), "M4LPT")
    assert sale.touch.offer == offer


def test_partner_csv_import_is_idempotent(offer):
    import_partner_csv(offer.partner, PARTNER_CSV)
    again = import_partner_csv(offer.partner, PARTNER_CSV)
    assert (again.imported, again.duplicates) == (0, 2)
    assert Conversion.objects.count() == 2


def test_sub_id_maps_to_the_links_offer(link):
    csv = "order_id,date,sub_id,amount,commission\nA-1,2026-11-02,pso-rite,20,4\n"
    result = import_partner_csv(link.offer.partner, csv)
    assert result.imported == 1
    sale = Conversion.objects.get()
    assert (sale.offer, sale.link) == (link.offer, link)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"foo,bar\n1,2\n", "missing column"),
        (b"order_id,date,amount\n1,2026-01-01,3\n", "code or sub_id"),
    ],
)
def test_unusable_files_are_explained(offer, data, reason):
    result = import_partner_csv(offer.partner, data)
    assert result.imported == 0 and reason in result.errors[0][1]


AMAZON_REPORT = """Fee-Earnings report from 11-01-2026 to 11-30-2026
Category,Name,ASIN,Seller,Tracking ID,Date Shipped,Price($),Items Shipped,Returns,Revenue($),Ad Fees($),Device Type Group
Sports,Foam Roller,B00XM2MRGI,Amazon,m4l-cantliftleg-20,2026-11-03,24.99,1,0,24.99,0.75,DESKTOP
Sports,Foam Roller,B00XM2MRGI,Amazon,m4l-cantliftleg-20,2026-11-03,24.99,1,0,24.99,0.75,DESKTOP
Sports,Yoga Mat,B01,Amazon,someone-else-20,2026-11-04,30,1,0,30,0.9,PHONE
"""


def test_amazon_report_matched_to_articles_by_tracking_id(article, amazon_offer):
    partner = amazon_offer.partner
    result = import_amazon_report(partner, AMAZON_REPORT)
    # two identical rows are two sales; an unknown tracking ID is refused with the reason
    assert result.imported == 2
    assert result.errors == [(5, result.errors[0][1])] and "someone-else-20" in result.errors[0][1]
    sales = Conversion.objects.filter(origin=Conversion.AMAZON)
    assert {s.touch.page.specific for s in sales} == {article}
    assert sum(s.commission for s in sales) == Decimal("1.50")
    again = import_amazon_report(partner, AMAZON_REPORT)
    assert (again.imported, again.duplicates) == (0, 2)


def _postback(client, partner, body: dict, secret=None):
    raw = json.dumps(body).encode()
    sig = signature(secret if secret is not None else partner.postback_secret, raw)
    return client.post(
        f"/m/postback/{partner.slug}/", data=raw, content_type="application/json", HTTP_X_SIGNATURE=f"sha256={sig}"
    )


def test_signed_postback_is_stored_once(client, home_page, offer):
    body = {"order_id": "PB-1", "date": "2026-11-05", "code": "M4LPT", "amount": "59.00", "commission": "11.80"}
    first = _postback(client, offer.partner, body)
    assert first.status_code == 201
    assert _postback(client, offer.partner, body).json() == {"status": "duplicate"}
    sale = Conversion.objects.get()
    assert (sale.origin, sale.offer, sale.amount) == (Conversion.POSTBACK, offer, Decimal("59.00"))


def test_postback_with_wrong_signature_writes_nothing(client, home_page, offer):
    body = {"order_id": "PB-2", "date": "2026-11-05", "code": "M4LPT", "amount": "59.00"}
    assert _postback(client, offer.partner, body, secret="wrong").status_code == 403
    no_sig = client.post(f"/m/postback/{offer.partner.slug}/", data=json.dumps(body), content_type="application/json")
    assert no_sig.status_code == 403
    assert not Conversion.objects.exists()


def test_postback_signed_by_another_partner_is_refused(client, home_page, offer):
    other = PartnerFactory(slug="other", postback_secret="another-secret")
    body = {"order_id": "PB-3", "date": "2026-11-05", "code": "M4LPT"}
    assert _postback(client, offer.partner, body, secret=other.postback_secret).status_code == 403
    assert not Conversion.objects.exists()


def test_partner_without_secret_refuses_postbacks(client, home_page, offer):
    offer.partner.postback_secret = ""
    offer.partner.save()
    assert _postback(client, offer.partner, {"order_id": "x"}, secret="").status_code == 403


def test_postback_bad_body_is_400(client, home_page, offer):
    response = _postback(client, offer.partner, {"order_id": "PB-4", "date": "not a date", "code": "M4LPT"})
    assert response.status_code == 400 and "date" in response.json()["error"]
    assert not Conversion.objects.exists()
