// The app shell's release. sw.js carries the same value in its cache name (a test checks they agree):
// change both for every release of anything under pwa/, so devices fetch the new shell.
export const SHELL_VERSION = "2026.11.28-41";
