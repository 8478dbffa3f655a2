"""The Editors group (made by a migration) and the demo editor account."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

ARCHIVE_MODELS = {
    "article",
    "articleforreview",
    "articletopic",
    "mention",
    "ambiguousname",
    "politician",
    "othername",
    "partymembership",
    "role",
    "party",
    "source",
    "topic",
    "author",
    "articleauthor",
}


def test_editors_have_exactly_the_archive_permissions():
    group = Group.objects.get(name="Editors")
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    expected = {
        ("articles", f"{action}_{model}")
        for model in ARCHIVE_MODELS
        for action in ["add", "change", "delete", "view"]
    }
    assert granted == expected


def test_editors_cannot_manage_users(client):
    user = User.objects.create_user("ed", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    assert not user.has_module_perms("auth")
    client.force_login(user)
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


@pytest.fixture
def project_dir(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    return tmp_path


def run_demo_editor(*args):
    out = io.StringIO()
    call_command("demo_editor", *args, stdout=out)
    return out.getvalue()


def password_in(output):
    return next(line.split(": ", 1)[1] for line in output.splitlines() if "Password:" in line)


def test_demo_editor_is_a_staff_editor_who_can_log_in(project_dir, client):
    output = run_demo_editor()
    assert "http://127.0.0.1:8000/admin/" in output
    assert "Username: editor" in output
    user = User.objects.get(username="editor")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert client.login(username="editor", password=password_in(output))
    assert client.get("/admin/articles/article/").status_code == 200


def test_demo_editor_prints_the_same_password_every_run(project_dir):
    first = password_in(run_demo_editor())
    assert len(first) >= 12
    assert (project_dir / ".demo-editor").read_text().strip() == first
    assert password_in(run_demo_editor()) == first
    assert User.objects.filter(username="editor").count() == 1


def test_demo_editor_takes_a_given_password_and_keeps_it(project_dir, client):
    run_demo_editor()
    assert password_in(run_demo_editor("--password", "correct-horse-battery")) == (
        "correct-horse-battery"
    )
    assert password_in(run_demo_editor()) == "correct-horse-battery"
    assert client.login(username="editor", password="correct-horse-battery")


def test_demo_editor_repairs_a_changed_account(project_dir):
    run_demo_editor()
    User.objects.filter(username="editor").update(is_staff=False, is_active=False)
    run_demo_editor()
    user = User.objects.get(username="editor")
    assert user.is_staff and user.is_active


def test_demo_editor_explains_a_missing_group(project_dir):
    Group.objects.filter(name="Editors").delete()
    with pytest.raises(CommandError, match="migrate"):
        run_demo_editor()


def test_demo_editor_prints_the_address_the_server_will_use(project_dir):
    output = run_demo_editor("--address", "127.0.0.1:8011")
    assert "  Admin:    http://127.0.0.1:8011/admin/" in output.splitlines()
    assert ":8000" not in output
