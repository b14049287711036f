"""The scheduling inbox in the admin: who may see leads, what they see, export and erase,
and the signed links from the inbox email."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core import signing
from django.utils import timezone

from cms.roles import ADMINISTRATORS, EDITORS, FRONT_DESK, MARKETING
from marketing.leads import services
from marketing.leads.models import Lead
from marketing.models import Touch

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def user_in(group_name):
    user = User.objects.create_user(group_name.lower().replace(" ", "-"), password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def lead(home_page):
    touch = Touch.objects.create(page_path="/articles/hip/", source="newsletter", campaign="spring-hips")
    return Lead.objects.create(
        name="Jane Doe", phone="314-555-0134", email="jane@example.test", concern="Right hip", touch=touch
    )


def admin_urls(lead):
    return [
        "/admin/leads/lead/",
        f"/admin/leads/lead/inspect/{lead.pk}/",
        f"/admin/leads/lead/edit/{lead.pk}/",
        f"/admin/leads/lead/delete/{lead.pk}/",
        f"/admin/leads/lead/export/{lead.pk}/",
    ]


@pytest.mark.parametrize("role", [EDITORS, MARKETING])
def test_editors_and_marketing_get_403_on_inbox_and_lead(client, lead, role):
    client.force_login(user_in(role))
    assert client.get("/admin/").status_code == 200  # they are admin users...
    for url in [*admin_urls(lead), "/admin/leads/lead/new/", f"/admin/leads/lead/history/{lead.pk}/"]:
        assert client.get(url).status_code == 403, url  # ...who can't see leads
    assert client.post(f"/admin/leads/lead/edit/{lead.pk}/", {"status": "spam"}).status_code == 403
    assert client.post(f"/admin/leads/lead/delete/{lead.pk}/").status_code == 403
    lead.refresh_from_db()
    assert lead.status == "new"
    assert b"Scheduling inbox" not in client.get("/admin/").content


@pytest.mark.parametrize("role", [FRONT_DESK, ADMINISTRATORS])
def test_front_desk_and_administrators_see_the_inbox(client, lead, role):
    client.force_login(user_in(role))
    for url in admin_urls(lead):
        assert client.get(url).status_code == 200, url
    index = client.get("/admin/leads/lead/").content.decode()
    assert "Jane Doe" in index and "spring-hips" in index and "/articles/hip/" in index


def test_inbox_filters_and_search(client, lead):
    Lead.objects.create(name="Bob Smith", phone="314-555-9999", status=Lead.Status.SCHEDULED)
    client.force_login(user_in(FRONT_DESK))
    assert "Bob Smith" not in client.get("/admin/leads/lead/?status=new").content.decode()
    assert "Jane Doe" in client.get("/admin/leads/lead/?status=new").content.decode()
    found = client.get("/admin/leads/lead/?q=555-9999").content.decode()
    assert "Bob Smith" in found and "Jane Doe" not in found


def test_markup_in_every_field_is_escaped_in_the_admin(
    client, home_page, form_data, django_capture_on_commit_callbacks
):
    fields = dict.fromkeys(("name", "concern", "utm_campaign", "utm_source", "page"), XSS)
    client.post("/appointments/request/", form_data(**fields, email="", phone="314-555-0134"))
    lead = Lead.objects.get()
    lead.notes = XSS
    lead.save()
    client.force_login(user_in(ADMINISTRATORS))
    for url in admin_urls(lead)[:3]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", ""), url
        assert "&lt;script&gt;" in html, url


def test_markup_in_rejected_fields_is_escaped_in_the_form(client, home_page, form_data):
    fields = dict.fromkeys(("name", "phone", "email", "concern", "heard_about", "preferred_days", "utm_source"), XSS)
    response = client.post("/appointments/request/", form_data(**fields))
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert not Lead.objects.exists()


def test_front_desk_updates_status_assignee_and_notes(client, lead):
    desk = user_in(FRONT_DESK)
    client.force_login(desk)
    response = client.post(
        f"/admin/leads/lead/edit/{lead.pk}/", {"status": "contacted", "assignee": desk.pk, "notes": "Left a voicemail"}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.status, lead.assignee, lead.notes) == ("contacted", desk, "Left a voicemail")
    assert lead.first_contacted_at is not None
    assert lead.events.filter(kind="status").exists()
    inspect = client.get(f"/admin/leads/lead/inspect/{lead.pk}/").content.decode()
    assert "Status changed to contacted" in inspect


def test_releasing_spam_delivers_it(client, home_page, django_capture_on_commit_callbacks, mailoutbox):
    spam = Lead.objects.create(
        name="Real Person", phone="314-555-0101", status=Lead.Status.SPAM, delivery_status="held"
    )
    client.force_login(user_in(FRONT_DESK))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/leads/lead/edit/{spam.pk}/", {"status": "new", "notes": ""})
    spam.refresh_from_db()
    assert spam.delivery_status == "delivered"
    assert [m.subject for m in mailoutbox] == ["Appointment request: Real P. - any time"]


def test_export_is_json_with_everything_held(client, lead):
    client.force_login(user_in(FRONT_DESK))
    response = client.get(f"/admin/leads/lead/export/{lead.pk}/")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["name"] == "Jane Doe" and data["concern"] == "Right hip"
    assert data["source"]["campaign"] == "spring-hips"


def test_erase_deletes_lead_deliveries_and_touch(client, lead):
    lead.deliveries.create(channel="inbox")
    touch_id = lead.touch_id
    client.force_login(user_in(ADMINISTRATORS))
    response = client.post(f"/admin/leads/lead/delete/{lead.pk}/")
    assert response.status_code == 302
    assert not Lead.objects.exists()
    assert not Touch.objects.filter(pk=touch_id).exists()
    from wagtail.models import ModelLogEntry

    labels = list(ModelLogEntry.objects.values_list("label", flat=True))
    assert labels and not any("Jane" in label for label in labels)  # the audit log keeps no name


# --- Signed links -------------------------------------------------------------------------


def test_link_get_only_confirms_and_post_marks_contacted(client, lead):
    url = services.action_url(lead, "contacted").split("://", 1)[1].partition("/")[2]
    page = client.get("/" + url)
    assert page.status_code == 200
    assert b"Mark this request contacted?" in page.content and b"Right hip" not in page.content
    lead.refresh_from_db()
    assert lead.status == "new"  # a mail scanner following the link changes nothing
    done = client.post("/" + url)
    assert done.status_code == 200 and b"Marked contacted" in done.content
    lead.refresh_from_db()
    assert lead.status == "contacted" and lead.first_contacted_at is not None
    assert lead.time_to_first_contact >= timedelta(0)


def test_scheduled_link_and_never_moving_back(client, lead):
    scheduled = "/" + services.action_url(lead, "scheduled").split("://", 1)[1].partition("/")[2]
    contacted = "/" + services.action_url(lead, "contacted").split("://", 1)[1].partition("/")[2]
    client.post(scheduled)
    client.post(contacted)
    lead.refresh_from_db()
    assert lead.status == "scheduled" and lead.scheduled_at is not None


def test_tampered_and_expired_links_are_refused(client, lead, settings):
    token = services.action_token(lead, "contacted")
    assert client.get(f"/appointments/update/{token}x/").status_code == 404
    forged = signing.dumps({"lead": str(lead.uuid), "action": "contacted"}, salt="another-salt")
    assert client.post(f"/appointments/update/{forged}/").status_code == 404
    settings.LEADS_ACTION_LINK_MAX_AGE_DAYS = -1
    assert client.post(f"/appointments/update/{token}/").status_code == 410
    lead.refresh_from_db()
    assert lead.status == "new"


def test_retention_deletes_only_old_leads(lead, settings):
    from marketing.leads.tasks import delete_expired_leads

    settings.LEADS_RETENTION_DAYS = 30
    old = Lead.objects.create(name="Old One", phone="314-555-0000", created_at=timezone.now() - timedelta(days=31))
    assert delete_expired_leads() == 1
    assert list(Lead.objects.all()) == [lead]
    assert not Lead.objects.filter(pk=old.pk).exists()
