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


def test_the_api_documentation_renders_from_the_apps_own_files(browser, server):
    """Swagger UI comes from pwa/vendor/ (npm's swagger-ui-dist, pinned), under the docs page's own policy."""
    context = new_context(browser, server, bypass_csp=False)
    page = context.new_page()
    blocked, errors = watch_csp(page), watch_errors(page)
    elsewhere = []
    page.on("request", lambda request: request.url.startswith(server.base_url) or elsewhere.append(request.url))
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=20000)
    assert "Products" in page.locator(".swagger-ui").inner_text()
    context.close()
    assert blocked == [] and errors == [] and elsewhere == []
