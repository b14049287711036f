"""Create the clinic's roles, each with only the permissions it needs."""

from django.db import migrations

from cms.roles import ADMINISTRATORS, ALL_ROLES, EDITORS, ensure_permissions, grant

CONTENT_SNIPPETS = [f"{action}_{model}" for action in ("add", "change", "delete", "view") for model in ("author", "topic")]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "view_page"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    ensure_permissions(apps, "cms", "wagtailcore", "wagtailimages", "wagtaildocs")
    # Wagtail's default "Moderators" group overlaps our Administrators; one name per role.
    Group.objects.filter(name="Moderators").delete()
    for name in ALL_ROLES:
        grant(apps, name, "wagtailadmin", ["access_admin"])

    grant(apps, EDITORS, "cms", CONTENT_SNIPPETS)
    grant(apps, ADMINISTRATORS, "cms", [*CONTENT_SNIPPETS, "change_clinicsettings", "view_clinicsettings"])

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    for name in (EDITORS, ADMINISTRATORS):
        group = Group.objects.get(name=name)
        if root_page:
            for codename in PAGE_PERMISSIONS:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page,
                    permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
                )
        if root_collection:
            for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
                for action in ("add", "change", "choose", "delete"):
                    permission = Permission.objects.filter(codename=f"{action}_{model}").first()
                    if permission:
                        GroupCollectionPermission.objects.get_or_create(
                            group=group, collection=root_collection, permission=permission
                        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ALL_ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
