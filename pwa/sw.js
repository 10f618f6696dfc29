// Service worker: arrives with the PWA issue.
