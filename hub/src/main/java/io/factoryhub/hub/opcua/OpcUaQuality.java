package io.factoryhub.hub.opcua;

import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/** The coarse OPC-UA quality downstream consumers filter on, from the StatusCode's severity bits. */
public enum OpcUaQuality {
    GOOD, UNCERTAIN, BAD;

    public static OpcUaQuality of(StatusCode status) {
        if (status == null || status.isGood()) {
            // a DataValue without a StatusCode is Good by the OPC-UA encoding rules
            return GOOD;
        }
        return status.isUncertain() ? UNCERTAIN : BAD;
    }
}
