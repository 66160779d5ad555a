package io.factoryhub.hub.inference;

/** A request the server answers with an OIP v2 error object, {@code {"error": message}}, and this HTTP status. */
final class OipException extends Exception {

    private final int status;

    private OipException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** 400: the request itself is wrong (malformed JSON, an input the model does not take, a shape that does not fit). */
    static OipException badRequest(String message) {
        return new OipException(400, message);
    }

    /** 404: no such model, or not that version. */
    static OipException notFound(String message) {
        return new OipException(404, message);
    }

    /** 503: the model is in the repository but no version of it loads. */
    static OipException unavailable(String message) {
        return new OipException(503, message);
    }

    int status() {
        return status;
    }
}
