"""Leads hold health information: only the front desk and administrators may see them.
Editors and Marketing get no lead permissions (conversion reports read aggregates instead)."""

from django.db import migrations

from cms.roles import ADMINISTRATORS, FRONT_DESK, ensure_permissions, grant, revoke

LEAD_PERMISSIONS = ["view_lead", "change_lead", "delete_lead"]


def grant_lead_permissions(apps, schema_editor):
    ensure_permissions(apps, "leads")
    for group in (FRONT_DESK, ADMINISTRATORS):
        grant(apps, group, "leads", LEAD_PERMISSIONS)


def revoke_lead_permissions(apps, schema_editor):
    for group in (FRONT_DESK, ADMINISTRATORS):
        revoke(apps, group, "leads", LEAD_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0001_initial"),
        ("cms", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_lead_permissions, revoke_lead_permissions)]
