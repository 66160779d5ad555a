package io.factoryhub.hub.cdc;

/** The MES database is not set up for change data capture; the message says what to change. */
public final class CdcConfigurationException extends Exception {
    public CdcConfigurationException(String message) {
        super(message);
    }

    public CdcConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
