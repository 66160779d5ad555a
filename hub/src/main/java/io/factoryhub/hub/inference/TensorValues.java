package io.factoryhub.hub.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An input tensor's data as a request sends it: a JSON array, flat or nested, read row-major into one flat array
 * (doubles for FP32 and FP64, whole numbers for the rest, BOOL as 0 and 1), checked value by value against the
 * datatype.
 */
final class TensorValues {

    private final Datatype datatype;
    private final String tensor;
    private double[] reals = new double[0];
    private long[] wholes = new long[0];
    private int size;

    private TensorValues(Datatype datatype, String tensor) {
        this.datatype = datatype;
        this.tensor = tensor;
    }

    /** Reads the array the parser is at (its START_ARRAY token current). */
    static TensorValues read(JsonParser parser, Datatype datatype, String tensor) throws IOException, OipException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw OipException.badRequest("input '" + tensor + "': data must be an array");
        }
        TensorValues values = new TensorValues(datatype, tensor);
        values.readArray(parser);
        return values;
    }

    private void readArray(JsonParser parser) throws IOException, OipException {
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == JsonToken.START_ARRAY) {
                readArray(parser);
            } else {
                add(parser, token);
            }
        }
    }

    private void add(JsonParser parser, JsonToken token) throws IOException, OipException {
        switch (datatype) {
            case FP32, FP64 -> {
                if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw doesNotFit(parser);
                }
                addReal(parser.getDoubleValue());
            }
            case BOOL -> {
                if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                    throw doesNotFit(parser);
                }
                addWhole(token == JsonToken.VALUE_TRUE ? 1 : 0);
            }
            case INT32, INT64 -> {
                if (token != JsonToken.VALUE_NUMBER_INT) {
                    throw doesNotFit(parser);
                }
                long value = parser.getLongValue(); // beyond INT64 Jackson refuses it: a 400 with its reason
                if (datatype == Datatype.INT32 && (int) value != value) {
                    throw doesNotFit(parser);
                }
                addWhole(value);
            }
        }
    }

    private OipException doesNotFit(JsonParser parser) throws IOException {
        return OipException.badRequest("input '" + tensor + "': " + parser.getText() + " does not fit datatype " + datatype);
    }

    private void addReal(double value) {
        if (size == reals.length) {
            reals = Arrays.copyOf(reals, Math.max(16, size * 2));
        }
        reals[size++] = value;
    }

    private void addWhole(long value) {
        if (size == wholes.length) {
            wholes = Arrays.copyOf(wholes, Math.max(16, size * 2));
        }
        wholes[size++] = value;
    }

    int size() {
        return size;
    }

    /** A tensor of {@code shape} over a direct buffer (ONNX Runtime reads it in place, no copy). */
    OnnxTensor toTensor(long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        ByteBuffer bytes = ByteBuffer.allocateDirect(size * datatype.width()).order(ByteOrder.nativeOrder());
        return switch (datatype) {
            case FP32 -> {
                for (int i = 0; i < size; i++) {
                    bytes.putFloat((float) reals[i]);
                }
                yield OnnxTensor.createTensor(env, bytes.flip().asFloatBuffer(), shape);
            }
            case FP64 -> OnnxTensor.createTensor(env, bytes.asDoubleBuffer().put(reals, 0, size).flip(), shape);
            case INT64 -> OnnxTensor.createTensor(env, bytes.asLongBuffer().put(wholes, 0, size).flip(), shape);
            case INT32 -> {
                for (int i = 0; i < size; i++) {
                    bytes.putInt((int) wholes[i]);
                }
                yield OnnxTensor.createTensor(env, bytes.flip().asIntBuffer(), shape);
            }
            case BOOL -> {
                for (int i = 0; i < size; i++) {
                    bytes.put((byte) wholes[i]);
                }
                yield OnnxTensor.createTensor(env, bytes.flip(), shape, OnnxJavaType.BOOL);
            }
        };
    }
}
