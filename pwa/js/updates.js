// Service worker registration and clean updates: a new version installs in the background and waits;
// the operator chooses when to switch (never in the middle of a reception), then the page reloads once.

export function watchForUpdates(onUpdateReady) {
  if (!("serviceWorker" in navigator)) return;
  const hadController = Boolean(navigator.serviceWorker.controller);
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!hadController || reloading) return; // first install: nothing to reload
    reloading = true;
    location.reload();
  });
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then((registration) => {
    const offer = (worker) => onUpdateReady(() => worker.postMessage({ type: "skip-waiting" }));
    if (registration.waiting && hadController) offer(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
      });
    });
    // A phone left on all day should still notice a release.
    setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
  }).catch((error) => console.warn("service worker not registered", error));
}
