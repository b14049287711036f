"""Marketing's permissions for the clinic's roles: Marketing and Administrators run offers,
links, partners and reports; Editors may only view (and so choose) offers and tracked links."""

from django.db import migrations

from cms.roles import ADMINISTRATORS, EDITORS, MARKETING, ensure_permissions, grant, revoke

MANAGED = ("offer", "trackedlink", "partner", "amazontrackingid")
FULL = [f"{action}_{model}" for action in ("add", "change", "delete", "view") for model in MANAGED]
REPORTS = ["view_marketing_reports", "view_event", "view_dailystat", "view_conversion", "add_conversion"]
EDITOR = ["view_offer", "view_trackedlink"]


def grant_roles(apps, schema_editor):
    ensure_permissions(apps, "marketing")
    for role in (MARKETING, ADMINISTRATORS):
        grant(apps, role, "marketing", FULL + REPORTS)
    grant(apps, EDITORS, "marketing", EDITOR)


def revoke_roles(apps, schema_editor):
    for role in (MARKETING, ADMINISTRATORS):
        revoke(apps, role, "marketing", FULL + REPORTS)
    revoke(apps, EDITORS, "marketing", EDITOR)


class Migration(migrations.Migration):
    dependencies = [("marketing", "0002_offers_links_events"), ("cms", "0002_roles")]

    operations = [migrations.RunPython(grant_roles, revoke_roles)]
