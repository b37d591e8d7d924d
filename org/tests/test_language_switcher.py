from django.template.loader import render_to_string
from django.test import RequestFactory


def test_the_language_switch_returns_to_the_page_itself():
    request = RequestFactory().get("/reception/orders/7/?tab=lines")
    html = render_to_string("partials/language_switcher.html", request=request)
    assert 'name="next" type="hidden" value="/reception/orders/7/?tab=lines"' in html


def test_after_a_refused_post_the_language_switch_returns_to_the_form_page_not_the_post_address():
    request = RequestFactory().post("/workshop/findings/3/decide/", HTTP_REFERER="http://testserver/workshop/orders/9/")
    html = render_to_string("partials/language_switcher.html", request=request)
    assert 'value="http://testserver/workshop/orders/9/"' in html
    assert "/workshop/findings/3/decide/" not in html
