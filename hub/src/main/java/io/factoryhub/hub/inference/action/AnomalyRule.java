package io.factoryhub.hub.inference.action;

import java.util.List;

/**
 * Turns a model's answer into a verdict per window: anomalous when the label output holds {@code anomalyLabel}
 * ({@code outputs[labelOutput].data[i] == 1} by default), or, with a threshold, when the score reaches it. The score
 * is the last value of the window's row in {@code scoreOutput} (a classifier's probability of the anomalous class),
 * or the label itself when no score output is named.
 */
record AnomalyRule(int labelOutput, double anomalyLabel, Integer scoreOutput, Double threshold) {

    /** One window's verdict. */
    record Verdict(boolean anomalous, double score) {
    }

    /** @throws IllegalStateException when the answer does not have the outputs or rows the rule reads */
    Verdict[] apply(InferenceResponse response, int windows) {
        InferenceResponse.Output labels = output(response, labelOutput, "labelOutput");
        InferenceResponse.Output scores = scoreOutput == null ? labels : output(response, scoreOutput, "scoreOutput");
        int labelWidth = rowWidth(labels, windows);
        int scoreWidth = rowWidth(scores, windows);
        Verdict[] verdicts = new Verdict[windows];
        for (int i = 0; i < windows; i++) {
            double label = labels.data()[i * labelWidth + labelWidth - 1];
            double score = scores.data()[i * scoreWidth + scoreWidth - 1];
            boolean anomalous = threshold == null ? label == anomalyLabel : score >= threshold;
            verdicts[i] = new Verdict(anomalous, score);
        }
        return verdicts;
    }

    private static InferenceResponse.Output output(InferenceResponse response, int index, String property) {
        List<InferenceResponse.Output> outputs = response.outputs();
        if (index >= outputs.size()) {
            throw new IllegalStateException(property + " is " + index + " but the model answers with " + outputs.size()
                    + " output(s): " + outputs.stream().map(InferenceResponse.Output::name).toList());
        }
        return outputs.get(index);
    }

    private static int rowWidth(InferenceResponse.Output output, int windows) {
        int width = output.perWindow(windows);
        if (width == 0 || width * windows != output.data().length) {
            throw new IllegalStateException("output '" + output.name() + "' has " + output.data().length
                    + " values for " + windows + " windows");
        }
        return width;
    }
}
