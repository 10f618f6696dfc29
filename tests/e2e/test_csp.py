"""The scanning app under its real Content-Security-Policy: nothing blocked, no inline code needed."""
from tests.e2e.helpers import new_context, watch_csp, watch_errors

SCREENS = ("receive", "put-away", "pick", "ship", "count", "lookup", "queue", "settings")


def test_every_scanning_screen_runs_under_the_policy(browser, server):
    context = new_context(browser, server, bypass_csp=False)
    page = context.new_page()
    blocked, errors = watch_csp(page), watch_errors(page)
    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    page.fill("#username", server.seed["username"])
    page.fill("#password", server.seed["password"])
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#go-receive")
    for screen in SCREENS:
        page.goto(f"/#/{screen}")
        page.wait_for_timeout(300)
    context.close()
    assert blocked == [] and errors == []
