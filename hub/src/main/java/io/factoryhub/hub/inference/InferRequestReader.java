package io.factoryhub.hub.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an inference request body in one streaming pass (the inference action posts batches at thousands a second).
 * Fields may come in any order: data that arrives before its datatype is kept as tokens and read after. Anything
 * malformed is a 400 that says what.
 */
final class InferRequestReader {

    private static final JsonFactory JSON = new JsonFactory();

    private InferRequestReader() {
    }

    static InferRequest read(byte[] body) throws OipException {
        try (JsonParser parser = JSON.createParser(body)) {
            expect(parser, parser.nextToken(), JsonToken.START_OBJECT, "the request");
            String id = null;
            List<InferRequest.Input> inputs = null;
            List<String> outputs = List.of();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> id = string(parser, value, "id");
                    case "inputs" -> inputs = inputs(parser, value);
                    case "outputs" -> outputs = outputs(parser, value);
                    default -> parser.skipChildren(); // parameters: none used here
                }
            }
            if (parser.nextToken() != null) {
                throw OipException.badRequest("malformed JSON: more after the request object");
            }
            if (inputs == null || inputs.isEmpty()) {
                throw OipException.badRequest("the request has no inputs");
            }
            return new InferRequest(id, inputs, outputs);
        } catch (JsonProcessingException e) {
            throw OipException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // not from a byte array
        }
    }

    private static List<InferRequest.Input> inputs(JsonParser parser, JsonToken value) throws IOException, OipException {
        expect(parser, value, JsonToken.START_ARRAY, "inputs");
        List<InferRequest.Input> inputs = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            inputs.add(input(parser));
        }
        return inputs;
    }

    private static InferRequest.Input input(JsonParser parser) throws IOException, OipException {
        expect(parser, parser.currentToken(), JsonToken.START_OBJECT, "each input");
        String name = null;
        String datatypeName = null;
        long[] shape = null;
        TensorValues values = null;
        TokenBuffer early = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> name = string(parser, value, "an input's name");
                case "datatype" -> datatypeName = string(parser, value, "datatype");
                case "shape" -> shape = shape(parser, value);
                case "data" -> {
                    if (datatypeName != null && name != null) {
                        values = TensorValues.read(parser, Datatype.named(datatypeName, name), name);
                    } else {
                        early = TokenBuffer.asCopyOfValue(parser);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (name == null) {
            throw OipException.badRequest("an input has no name");
        }
        if (datatypeName == null || shape == null || (values == null && early == null)) {
            throw OipException.badRequest("input '" + name + "' needs shape, datatype and data");
        }
        Datatype datatype = Datatype.named(datatypeName, name);
        if (values == null) {
            try (JsonParser data = early.asParser()) {
                data.nextToken();
                values = TensorValues.read(data, datatype, name);
            }
        }
        long elements = elements(shape, name);
        if (values.size() != elements) {
            throw OipException.badRequest("input '" + name + "': shape " + Arrays.toString(shape) + " holds "
                    + elements + " values, data has " + values.size());
        }
        return new InferRequest.Input(name, datatype, shape, values);
    }

    /** Its dimensions, checked for being >= 0 with the others once the input's name is known. */
    private static long[] shape(JsonParser parser, JsonToken value) throws IOException, OipException {
        expect(parser, value, JsonToken.START_ARRAY, "shape");
        long[] dims = new long[8];
        int rank = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.VALUE_NUMBER_INT) {
                throw OipException.badRequest("shape must be whole numbers, not " + parser.getText());
            }
            if (rank == dims.length) {
                dims = Arrays.copyOf(dims, rank * 2);
            }
            dims[rank++] = parser.getLongValue();
        }
        return Arrays.copyOf(dims, rank);
    }

    /** The values a shape holds; more than an array can is refused, not overflowed. */
    private static long elements(long[] shape, String name) throws OipException {
        long elements = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw OipException.badRequest("input '" + name + "': shape " + Arrays.toString(shape)
                        + " has a negative dimension");
            }
            if (dim > Integer.MAX_VALUE || (elements *= dim) > Integer.MAX_VALUE) {
                throw OipException.badRequest("input '" + name + "': shape " + Arrays.toString(shape)
                        + " is too large");
            }
        }
        return elements;
    }

    private static List<String> outputs(JsonParser parser, JsonToken value) throws IOException, OipException {
        expect(parser, value, JsonToken.START_ARRAY, "outputs");
        List<String> names = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            expect(parser, parser.currentToken(), JsonToken.START_OBJECT, "each output");
            String name = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken fieldValue = parser.nextToken();
                if (field.equals("name")) {
                    name = string(parser, fieldValue, "an output's name");
                } else {
                    parser.skipChildren();
                }
            }
            if (name == null) {
                throw OipException.badRequest("each output needs a name");
            }
            names.add(name);
        }
        return names;
    }

    private static String string(JsonParser parser, JsonToken value, String what) throws IOException, OipException {
        expect(parser, value, JsonToken.VALUE_STRING, what);
        return parser.getText();
    }

    private static void expect(JsonParser parser, JsonToken actual, JsonToken expected, String what)
            throws IOException, OipException {
        if (actual != expected) {
            throw OipException.badRequest(what + " must be " + describe(expected) + ", not "
                    + (actual == null ? "missing" : parser.getText()));
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> "a string";
        };
    }
}
