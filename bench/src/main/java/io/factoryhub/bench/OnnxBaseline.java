package io.factoryhub.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The inference bench's baseline: the same windows scored with the same ONNX file in-process, batches of the same
 * size, in a plain loop on one thread — no Kafka, no HTTP, no JSON.
 */
final class OnnxBaseline implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;

    OnnxBaseline(Path model) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        session = env.createSession(model.toString(), options);
        input = session.getInputNames().iterator().next();
    }

    /** Windows scored per second: every full window of {@code readings} readings of {@code series}, in batches. */
    double windowsPerSecond(VibrationSeries series, long readings, int windowSize, int batchSize) throws OrtException {
        int machines = series.machines();
        long rounds = readings / machines;
        float[] batch = new float[batchSize * windowSize];
        long windows = 0;
        int inBatch = 0;
        long anomalous = 0;
        long start = System.nanoTime();
        for (long round = windowSize - 1; round < rounds; round++) {
            for (int machine = 0; machine < machines; machine++) {
                for (int i = 0; i < windowSize; i++) {
                    batch[inBatch * windowSize + i] = series.value((round - windowSize + 1 + i) * machines + machine);
                }
                if (++inBatch == batchSize) {
                    anomalous += score(batch, inBatch, windowSize);
                    windows += inBatch;
                    inBatch = 0;
                }
            }
        }
        if (inBatch > 0) {
            anomalous += score(batch, inBatch, windowSize);
            windows += inBatch;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (anomalous == 0) {
            throw new IllegalStateException("the baseline flagged nothing: not the model the hub serves?");
        }
        return windows / seconds;
    }

    private long score(float[] batch, int windows, int width) throws OrtException {
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch, 0, windows * width), new long[] {windows, width});
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            long[] labels = (long[]) result.get(0).getValue();
            long flagged = 0;
            for (long label : labels) {
                flagged += label;
            }
            return flagged;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
