package io.factoryhub.hub.inference;

import ai.onnxruntime.OnnxJavaType;
import java.util.Arrays;
import java.util.Optional;

/**
 * The OIP v2 tensor datatypes this server takes and returns, each with its ONNX element type. The ones sklearn-onnx
 * and PyTorch models use for features, labels and scores; a model with any other (FP16, strings, ...) is refused when
 * it loads, so every model served can be described and called in these.
 */
enum Datatype {
    BOOL(OnnxJavaType.BOOL),
    INT32(OnnxJavaType.INT32),
    INT64(OnnxJavaType.INT64),
    FP32(OnnxJavaType.FLOAT),
    FP64(OnnxJavaType.DOUBLE);

    private final OnnxJavaType onnx;

    Datatype(OnnxJavaType onnx) {
        this.onnx = onnx;
    }

    static Optional<Datatype> of(OnnxJavaType onnx) {
        return Arrays.stream(values()).filter(type -> type.onnx == onnx).findFirst();
    }

    /** The datatype a request names; OIP names are case-sensitive. */
    static Datatype named(String name, String tensor) throws OipException {
        for (Datatype type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw OipException.badRequest("input '" + tensor + "': datatype '" + name + "' is not one this server takes "
                + Arrays.toString(values()));
    }

    /** Bytes per element in a tensor's buffer. */
    int width() {
        return onnx.size;
    }

    /** FP32 and FP64 take any JSON number; the others whole numbers (BOOL: true and false). */
    boolean isReal() {
        return this == FP32 || this == FP64;
    }
}
