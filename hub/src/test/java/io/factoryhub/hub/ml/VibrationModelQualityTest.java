package io.factoryhub.hub.ml;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.factoryhub.plant.sim.FaultKind;
import io.factoryhub.plant.sim.SignalParameters;
import io.factoryhub.plant.sim.SignalSample;
import io.factoryhub.plant.sim.VibrationSamples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed vibration model (ml/train.py trained it on ml/generate.py's port of the simulator's signal), scored
 * through ONNX Runtime Java on fresh windows of the simulator's own signal, against the static alarm rule.
 */
class VibrationModelQualityTest {

    private static final Path MODEL = Path.of("..", "ml", "models", "vibration-anomaly", "1", "model.onnx");
    private static final int WINDOW = 5;
    private static final int MACHINES = 100;
    private static final int SAMPLES_PER_MACHINE = 3000;
    /** Below this the model would page people for nothing too often to be worth running. */
    private static final double MIN_PRECISION = 0.95;

    private static OrtSession session;

    /** Windows of WINDOW consecutive readings of one machine, and what the last reading of each really is. */
    private record Windows(float[][] values, List<FaultKind> lastFault) {
    }

    private record Scored(long[] labels, float[][] probabilities) {
    }

    private record Scores(double precision, double recall, double f1) {
        static Scores of(List<FaultKind> truth, boolean[] predicted) {
            int truePositives = 0;
            int falsePositives = 0;
            int falseNegatives = 0;
            for (int i = 0; i < predicted.length; i++) {
                boolean anomalous = truth.get(i).anomalous();
                truePositives += anomalous && predicted[i] ? 1 : 0;
                falsePositives += !anomalous && predicted[i] ? 1 : 0;
                falseNegatives += anomalous && !predicted[i] ? 1 : 0;
            }
            double precision = truePositives / (double) Math.max(1, truePositives + falsePositives);
            double recall = truePositives / (double) Math.max(1, truePositives + falseNegatives);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return new Scores(precision, recall, f1);
        }

        @Override
        public String toString() {
            return String.format("precision %.3f  recall %.3f  F1 %.3f", precision, recall, f1);
        }
    }

    @BeforeAll
    static void loadModel() throws OrtException {
        // the one environment of this JVM, shared with whatever else scores models here: not closed
        session = OrtEnvironment.getEnvironment().createSession(MODEL.toString(), new OrtSession.SessionOptions());
    }

    @AfterAll
    static void closeModel() throws OrtException {
        session.close();
    }

    @Test
    void the_model_takes_batches_of_windows_and_gives_a_label_and_two_probabilities_per_window() throws OrtException {
        assertEquals(List.of("window"), List.copyOf(session.getInputNames()));
        assertTensor(session.getInputInfo().get("window"), OnnxJavaType.FLOAT, -1, WINDOW);
        assertEquals(List.of("label", "probabilities"), List.copyOf(session.getOutputNames()));
        assertTensor(session.getOutputInfo().get("label"), OnnxJavaType.INT64, -1);
        assertTensor(session.getOutputInfo().get("probabilities"), OnnxJavaType.FLOAT, -1, 2);
    }

    @Test
    void the_model_beats_the_static_alarm_rule_on_fresh_simulator_data() throws OrtException {
        Windows windows = draw(20_261_122L);
        long[] labels = score(windows.values()).labels();
        boolean[] byModel = new boolean[labels.length];
        boolean[] byRule = new boolean[labels.length];
        double alarmLevel = SignalParameters.standard().vibration().alarmLevel();
        for (int i = 0; i < labels.length; i++) {
            byModel[i] = labels[i] == 1;
            byRule[i] = windows.values()[i][WINDOW - 1] > alarmLevel;
        }
        Scores model = Scores.of(windows.lastFault(), byModel);
        Scores rule = Scores.of(windows.lastFault(), byRule);
        System.out.printf("%d windows of %d machines: %s%n", labels.length, MACHINES, faultShares(windows.lastFault()));
        System.out.printf("model                     %s   (recall: spike %.3f, wear %.3f)%n", model,
                recall(windows.lastFault(), byModel, FaultKind.SPIKE), recall(windows.lastFault(), byModel, FaultKind.WEAR));
        System.out.printf("static rule (last > %.1f)  %s   (recall: spike %.3f, wear %.3f)%n", alarmLevel, rule,
                recall(windows.lastFault(), byRule, FaultKind.SPIKE), recall(windows.lastFault(), byRule, FaultKind.WEAR));

        assertTrue(model.f1() > rule.f1(), "F1: model " + model + ", rule " + rule);
        assertTrue(model.recall() > rule.recall(), "recall: model " + model + ", rule " + rule);
        assertTrue(model.precision() >= MIN_PRECISION, "precision: model " + model);
    }

    @Test
    void the_label_is_the_more_probable_class() throws OrtException {
        Scored scored = score(draw(7L).values());
        for (int i = 0; i < scored.labels().length; i++) {
            float[] p = scored.probabilities()[i];
            assertEquals(1.0, p[0] + p[1], 1e-5, "row " + i);
            assertEquals(p[1] > 0.5 ? 1 : 0, scored.labels()[i], "row " + i);
        }
    }

    private static Scored score(float[][] windows) throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), windows);
             OrtSession.Result result = session.run(Map.of("window", input))) {
            return new Scored((long[]) result.get("label").orElseThrow().getValue(),
                    (float[][]) result.get("probabilities").orElseThrow().getValue());
        }
    }

    /** MACHINES independent machines; the first WINDOW - 1 readings of each only fill its first window. */
    private static Windows draw(long seed) {
        List<float[]> values = new ArrayList<>();
        List<FaultKind> lastFault = new ArrayList<>();
        for (int m = 0; m < MACHINES; m++) {
            VibrationSamples samples = new VibrationSamples(seed + m);
            float[] recent = new float[WINDOW];
            for (int i = 0; i < SAMPLES_PER_MACHINE; i++) {
                SignalSample sample = samples.next();
                System.arraycopy(recent, 1, recent, 0, WINDOW - 1);
                recent[WINDOW - 1] = (float) sample.value();
                if (i >= WINDOW - 1) {
                    values.add(recent.clone());
                    lastFault.add(sample.fault());
                }
            }
        }
        return new Windows(values.toArray(float[][]::new), lastFault);
    }

    private static double recall(List<FaultKind> truth, boolean[] predicted, FaultKind kind) {
        int all = 0;
        int caught = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (truth.get(i) == kind) {
                all++;
                caught += predicted[i] ? 1 : 0;
            }
        }
        return caught / (double) Math.max(1, all);
    }

    private static String faultShares(List<FaultKind> faults) {
        StringBuilder shares = new StringBuilder();
        for (FaultKind kind : FaultKind.values()) {
            long n = faults.stream().filter(kind::equals).count();
            shares.append(String.format("%s %.1f %%  ", kind, 100.0 * n / faults.size()));
        }
        return shares.toString().trim();
    }

    private static void assertTensor(NodeInfo node, OnnxJavaType type, long... shape) {
        TensorInfo tensor = (TensorInfo) node.getInfo();
        assertEquals(type, tensor.type, node.getName());
        assertArrayEquals(shape, tensor.getShape(), node.getName());
    }
}
