"""The app shell: sign in at phone size, installability, offline start, languages, touch targets."""
from __future__ import annotations

from tests.e2e.helpers import (CHROMIUM, CHROMIUM_ARGS, VIEWPORT, new_context, screenshot, sign_in,
                               wait_for_service_worker)

MIN_TOUCH_PX = 48


def test_sign_in_at_phone_size_shows_the_six_jobs(page, server):
    sign_in(page, server)
    for job in ("receive", "put_away", "pick", "ship", "count", "lookup"):
        assert page.locator(f"#go-{job}").is_visible()
    assert page.viewport_size == {"width": 360, "height": 740}
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling on a phone"
    assert "null" not in page.locator("main").inner_text()  # (an operator has no supervision link: none, not "null")
    screenshot(page, "home-360x740")


def test_wrong_password_is_said_plainly(page, server):
    page.goto("/")
    page.fill("#username", server.seed["username"])
    page.fill("#password", "not the password")
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_function("document.querySelector('#sign-in-error').textContent.startsWith('Sign-in failed')")


def test_touch_targets_are_at_least_48_px(page, server):
    sign_in(page, server)
    for screen in ("", "receive", "put-away", "pick", "ship", "count", "lookup", "queue", "settings"):
        page.goto(f"/#/{screen}")
        page.wait_for_selector("main#view > *")
        small = page.evaluate("""(min) => [...document.querySelectorAll('button, a, select, input')]
            .filter((el) => el.offsetParent !== null && el.type !== 'checkbox')
            .map((el) => [el.id || el.textContent.trim().slice(0, 20), el.getBoundingClientRect()])
            .filter(([, box]) => box.height < min || box.width < min)
            .map(([name, box]) => `${name}: ${Math.round(box.width)}x${Math.round(box.height)}`)""", MIN_TOUCH_PX)
        assert small == [], f"targets under {MIN_TOUCH_PX} px on #{screen}: {small}"


def test_manifest_passes_chromium_installability_checks(playwright_driver, server, tmp_path):
    # A normal profile: Playwright's fresh contexts are incognito, which Chromium never offers to install.
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        base_url=server.base_url, viewport=VIEWPORT, bypass_csp=True)  # wait_for_function evaluates a string
    try:
        page = context.new_page()
        page.goto("/")
        wait_for_service_worker(page)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest.get("errors") == [], manifest.get("errors")
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_service_worker_serves_the_shell_offline(context, page, server):
    sign_in(page, server)
    wait_for_service_worker(page)
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-ready=true] #go-receive")
    assert page.locator("#network").inner_text() == "Offline"
    page.click("#go-lookup")
    page.wait_for_selector("#scan-prompt")
    screenshot(page, "offline-shell")
    context.set_offline(False)


def test_language_follows_the_browser_and_can_be_switched(browser, server):
    context = new_context(browser, server, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto("/")
        page.wait_for_selector("#sign-in-form")
        assert page.locator("#sign-in-form button[type=submit]").inner_text() == "Se connecter"
        sign_in(page, server)
        assert page.locator("#go-receive").inner_text().endswith("Réception")
        # the supervisor views' words must not replace the operator's (a tally's "Nombre" did)
        assert page.locator("#go-count").inner_text().endswith("Inventaire")
        page.goto("/#/settings")
        page.select_option("select[name=language]", "en")
        page.click("#back")
        page.wait_for_selector("#go-receive")
        assert page.locator("#go-receive").inner_text().endswith("Receive")
        assert page.evaluate("document.documentElement.lang") == "en"
    finally:
        context.close()


def test_counts_are_said_in_the_singular_or_the_plural_in_both_languages(page, server):
    """"1 scans" or "2 scan(s)" read as a machine wrote them; French says 0 and 1 in the singular."""
    page.goto("/")
    page.wait_for_selector("#sign-in-form")
    said = page.evaluate("""async () => {
        const { t } = await import("/js/i18n.js");
        const { settings, update } = await import("/js/settings.js");
        const chosen = settings().language, out = {};
        for (const language of ["en", "fr"]) {
            update({ language });
            out[language] = [0, 1, 2].map((n) => t("late_refused", { n }));
            out[language].push(t("decisions_came", { n: 1 }), t("n_rejected", { n: 2 }));
        }
        update({ language: chosen });
        return out;
    }""")
    assert said["en"] == ["0 scans made offline were refused.", "1 scan made offline was refused.",
                          "2 scans made offline were refused.", "A supervisor decided 1 scan held for them.",
                          "2 rejected"]
    assert said["fr"] == ["0 scan fait hors ligne refusé.", "1 scan fait hors ligne refusé.",
                          "2 scans faits hors ligne refusés.", "Un responsable a tranché 1 scan mis en attente.",
                          "2 refusés"]


def test_look_up_online_then_offline_from_the_last_synced_data(context, page, server):
    product = server.seed["products"]["E2E-A"]
    sign_in(page, server)
    wait_for_service_worker(page)
    page.click("#go-lookup")
    page.click("#type-button")
    page.fill("#manual-code", product["gtin"])
    page.press("#manual-code", "Enter")
    page.wait_for_selector(f"#lookup-result h2:text('{product['name']}')")
    assert page.locator("#lookup-age").count() == 0
    # what to promise a customer ordering it today, with its reason (the seed's supplier promises 3 days)
    assert page.locator("#lookup-promise").inner_text().startswith("Promise to a customer:")

    context.set_offline(True)
    page.fill("#manual-code", product["gtin"])
    page.press("#manual-code", "Enter")
    page.wait_for_selector("#lookup-age")
    assert page.locator("#lookup-age").inner_text() == "No network: data saved just now."
    assert page.locator("#lookup-result h2").inner_text() == product["name"]
    screenshot(page, "lookup-offline-from-cache")
    context.set_offline(False)


def test_signing_out_on_purpose_says_nothing_of_an_ended_session(page, server):
    sign_in(page, server)
    page.goto("/#/settings")
    page.click("#sign-out")
    page.wait_for_selector("#sign-in-form")
    assert page.locator("#sign-in-error").inner_text() == ""  # (it said "Your session has ended")


def test_look_ups_of_orders_and_lots_read_in_the_operators_language(browser, server):
    """An order's status in words, not its code; days with the month in letters; "just now" said in French."""
    context = new_context(browser, server, locale="fr-FR")
    page = context.new_page()
    try:
        sign_in(page, server)
        wait_for_service_worker(page)
        page.click("#go-lookup")
        page.click("#type-button")
        page.fill("#manual-code", f"TL:PO:{server.seed['orders']['wedge']}")
        page.press("#manual-code", "Enter")
        page.wait_for_selector("#lookup-result :text('commandée')")
        # its lines say how far it is (its status is only the furthest step of any line)
        header = page.locator("#lookup-lines th").all_inner_texts()
        assert header == ["Article", "commandé", "reçu"], header
        assert page.locator("#lookup-lines tbody tr").count() >= 1
        assert "ordered" not in page.locator("#lookup-result").inner_text()
        page.fill("#manual-code", "TL:LOC:A-02")
        page.press("#manual-code", "Enter")
        page.wait_for_selector("#lookup-result :text('31 déc. 2028')")
        context.set_offline(True)
        page.fill("#manual-code", "TL:LOC:A-02")
        page.press("#manual-code", "Enter")
        page.wait_for_selector("#lookup-age")
        assert page.locator("#lookup-age").inner_text() == "Pas de réseau : données enregistrées à l'instant."
        context.set_offline(False)
    finally:
        context.close()


def test_the_supervisors_counts_are_said_in_the_singular_or_the_plural(page, server):
    """"Create 1 purchase order(s)", "1 ligne(s) importée(s)": the supervisor's views count like the operator's."""
    page.goto("/")
    page.wait_for_selector("#sign-in-form")
    said = page.evaluate("""async () => {
        const { t } = await import("/js/i18n.js");
        await import("/js/supervisor/strings.js");
        const { settings, update } = await import("/js/settings.js");
        const chosen = settings().language, out = {};
        const counted = (key, n) => t(key, { n, count: String(n) });
        for (const language of ["en", "fr"]) {
            update({ language });
            out[language] = [t("create_orders", { n: 1 }), t("create_orders", { n: 3 }), t("lines_n", { n: 1 }),
                t("lines_n", { n: 0 }), t("import_done", { imported: counted("import_imported", 1),
                                                          refused: counted("import_refused", 2) }),
                counted("import_nothing", 1), t("lines_units", { lines: counted("n_lines", 1), units: counted("n_units", 5) }),
                t("review_every", { n: 1 }), t("count_ambiguous", { value: "1,500" })];
        }
        update({ language: chosen });
        return out;
    }""")
    assert said["en"] == [
        "Create 1 purchase order", "Create 3 purchase orders", "1 line", "0 lines", "1 row imported, 2 refused.",
        "Nothing imported: 1 row refused. Fix it, or tick the box to import the others.", "1 line · 5 units",
        "ordered every day", "“1,500”: a thousand or a decimal? Type it without the comma (1000) or with a point (1.5)."]
    assert said["fr"] == [
        "Créer 1 commande fournisseur", "Créer 3 commandes fournisseur", "1 ligne", "0 ligne",
        "1 ligne importée, 2 refusées.",
        "Rien importé : 1 ligne refusée. Corrigez-la, ou cochez la case pour importer les autres.", "1 ligne · 5 unités",
        "commandé chaque jour",
        "« 1,500 » : mille ou un nombre décimal ? Tapez-le sans la virgule (1000) ou avec un point (1.5)."]
