package io.factoryhub.hub.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.List;

/** Writes the OIP v2 inference response, each output's data flat in row-major order, streaming. */
final class InferResponseWriter {

    private static final JsonFactory JSON = new JsonFactory();

    private InferResponseWriter() {
    }

    /** @param id the request's, left out when it had none */
    static byte[] write(LoadedModel model, String id, List<String> outputs, OrtSession.Result result) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(1024); JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("model_name", model.name());
            json.writeStringField("model_version", Long.toString(model.version()));
            if (id != null) {
                json.writeStringField("id", id);
            }
            json.writeArrayFieldStart("outputs");
            for (String name : outputs) {
                writeOutput(json, name, result.get(name).orElseThrow());
            }
            json.writeEndArray();
            json.writeEndObject();
            json.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // into memory: does not happen
        }
    }

    /** The loader refused models with outputs other than tensors of the {@link Datatype}s, so every output is one. */
    private static void writeOutput(JsonGenerator json, String name, OnnxValue value) throws IOException {
        OnnxTensor tensor = (OnnxTensor) value;
        TensorInfo info = tensor.getInfo();
        Datatype datatype = Datatype.of(info.type).orElseThrow();
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeArrayFieldStart("shape");
        for (long dim : info.getShape()) {
            json.writeNumber(dim);
        }
        json.writeEndArray();
        json.writeStringField("datatype", datatype.name());
        json.writeArrayFieldStart("data");
        switch (datatype) {
            case FP32 -> {
                FloatBuffer data = tensor.getFloatBuffer();
                while (data.hasRemaining()) {
                    json.writeNumber(data.get());
                }
            }
            case FP64 -> {
                DoubleBuffer data = tensor.getDoubleBuffer();
                while (data.hasRemaining()) {
                    json.writeNumber(data.get());
                }
            }
            case INT64 -> {
                LongBuffer data = tensor.getLongBuffer();
                while (data.hasRemaining()) {
                    json.writeNumber(data.get());
                }
            }
            case INT32 -> {
                IntBuffer data = tensor.getIntBuffer();
                while (data.hasRemaining()) {
                    json.writeNumber(data.get());
                }
            }
            case BOOL -> {
                ByteBuffer data = tensor.getByteBuffer();
                while (data.hasRemaining()) {
                    json.writeBoolean(data.get() != 0);
                }
            }
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
