"""The clinic's roles as Django groups, created by data migrations.

Each later feature grants its own permissions to these groups in a migration of its own,
by calling `grant()` (see cms/migrations/0002_roles.py).
"""

EDITORS = "Editors"
MARKETING = "Marketing"
FRONT_DESK = "Front desk"
SHOP_STAFF = "Shop staff"
ADMINISTRATORS = "Administrators"
ALL_ROLES = (EDITORS, MARKETING, FRONT_DESK, SHOP_STAFF, ADMINISTRATORS)


def ensure_permissions(apps, *app_labels):
    """Permissions are normally created after `migrate` finishes; a data migration that
    grants them has to create them first."""
    from django.contrib.auth.management import create_permissions

    for label in app_labels:
        app_config = apps.get_app_config(label)
        if app_config is None:
            continue
        app_config.models_module = getattr(app_config, "models_module", None) or True
        create_permissions(app_config, verbosity=0, apps=apps)


def grant(apps, group_name: str, app_label: str, codenames: list[str]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    group.permissions.add(*permissions)


def revoke(apps, group_name: str, app_label: str, codenames: list[str]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=group_name).first()
    if group:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
