package io.factoryhub.hub.inference.action;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Answers as OIP v2 servers give them (flat and nested tensors), read into verdicts per window. */
class AnomalyRuleTest {

    /** The committed ONNX model's answer shape: label [B] INT64, probabilities [B,2] FP32. */
    private static final String ONNX_ANSWER = """
            {"model_name":"vibration-anomaly","model_version":"3","outputs":[
              {"name":"label","datatype":"INT64","shape":[3],"data":[0,1,0]},
              {"name":"probabilities","datatype":"FP32","shape":[3,2],"data":[0.9,0.1,0.2,0.8,0.35,0.65]}]}""";
    /** MLServer's sklearn runtime: one output, nested as some servers send it. */
    private static final String NESTED_ANSWER = """
            {"model_name":"m","id":"x","parameters":{},"outputs":[
              {"name":"predict","datatype":"INT64","shape":[2,1],"data":[[1],[0]]}]}""";

    @Test
    void should_flag_windows_whose_label_is_the_anomaly_label_and_score_them_from_the_score_output() throws Exception {
        InferenceResponse answer = OipClient.parse(ONNX_ANSWER.getBytes(StandardCharsets.UTF_8));
        AnomalyRule.Verdict[] verdicts = new AnomalyRule(0, 1, 1, null).apply(answer, 3);

        assertEquals("3", answer.modelVersion());
        assertArrayEquals(new boolean[] {false, true, false}, anomalous(verdicts));
        assertEquals(0.8, verdicts[1].score(), 1e-9);
        assertEquals(0.65, verdicts[2].score(), 1e-9, "the score is the anomalous class's column");
    }

    @Test
    void should_flag_by_threshold_on_the_score_when_one_is_set() throws Exception {
        InferenceResponse answer = OipClient.parse(ONNX_ANSWER.getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new boolean[] {false, true, true}, anomalous(new AnomalyRule(0, 1, 1, 0.6).apply(answer, 3)));
    }

    @Test
    void should_read_nested_tensors_and_use_the_label_as_score_without_a_score_output() throws Exception {
        AnomalyRule.Verdict[] verdicts = new AnomalyRule(0, 1, null, null)
                .apply(OipClient.parse(NESTED_ANSWER.getBytes(StandardCharsets.UTF_8)), 2);
        assertArrayEquals(new boolean[] {true, false}, anomalous(verdicts));
        assertEquals(1.0, verdicts[0].score());
    }

    @Test
    void should_refuse_an_answer_without_the_outputs_or_rows_the_rule_reads() throws Exception {
        InferenceResponse answer = OipClient.parse(NESTED_ANSWER.getBytes(StandardCharsets.UTF_8));
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> new AnomalyRule(0, 1, 1, null).apply(answer, 2));
        assertTrue(missing.getMessage().contains("scoreOutput is 1 but the model answers with 1 output(s): [predict]"), missing.getMessage());
        IllegalStateException rows = assertThrows(IllegalStateException.class, () -> new AnomalyRule(0, 1, null, null).apply(answer, 3));
        assertTrue(rows.getMessage().contains("has 2 values for 3 windows"), rows.getMessage());
    }

    private static boolean[] anomalous(AnomalyRule.Verdict[] verdicts) {
        boolean[] flags = new boolean[verdicts.length];
        for (int i = 0; i < verdicts.length; i++) {
            flags[i] = verdicts[i].anomalous();
        }
        return flags;
    }
}
