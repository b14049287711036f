def test_home_page_renders_with_clinic_phone(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Call To Schedule 314-941-3970" in response.content
    assert b'href="tel:+13149413970"' in response.content


def test_unknown_page_is_404_with_site_layout(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Call To Schedule" in response.content
