package io.factoryhub.hub.inference.action;

/**
 * The last readings of one machine's tag, oldest first, as the model sees them; taken when a reading completed it.
 *
 * @param readingId the {@code ce_id} of the reading that completed the window (the anomaly's lineage), or null
 */
record Window(String machineId, String deviceId, String tag, String site, String line, float[] values, String[] times,
              String readingId) {
}
