package io.factoryhub.hub.dashboard;

/** One of the hub's health checks as the page's health strip shows it: UP, DOWN or UNKNOWN, and why. */
record CheckState(String id, String state, String message) {
}
