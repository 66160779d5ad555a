package io.factoryhub.hub.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One version of a model, loaded: its ONNX Runtime session and the tensors it takes and returns, in the order the
 * model declares them. {@link OrtSession#run} is thread-safe, so requests share the session; each one holds it
 * ({@link #tryAcquire()}) while it runs, and a version replaced by a newer one ({@link #retire()}) closes its session
 * only when the last of them is done.
 */
final class LoadedModel {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);

    private final ModelFile file;
    private final OrtSession session;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    /** The requests running on it, plus one for being served; 0 = closed. */
    private final AtomicInteger holders = new AtomicInteger(1);

    private LoadedModel(ModelFile file, OrtSession session, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        this.file = file;
        this.session = session;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /**
     * Loads the file fully (the session is ready to run when this returns).
     *
     * @throws OrtException             when ONNX Runtime cannot load it
     * @throws IllegalArgumentException when it takes or returns something other than tensors of the {@link Datatype}s
     */
    static LoadedModel load(ModelFile file) throws OrtException {
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // one thread per request: concurrency comes from the requests, and the hub shares its cores with the plant
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            session = OrtEnvironment.getEnvironment().createSession(file.path().toString(), options);
        }
        try {
            return new LoadedModel(file, session, specs(session.getInputInfo()), specs(session.getOutputInfo()));
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            if (!(node.getInfo() instanceof TensorInfo tensor)) {
                throw new IllegalArgumentException("'" + node.getName() + "' is not a tensor (" + node.getInfo()
                        + "); OIP v2 serves tensors only (sklearn-onnx: convert classifiers with zipmap=False)");
            }
            Datatype datatype = Datatype.of(tensor.type).orElseThrow(() -> new IllegalArgumentException(
                    "'" + node.getName() + "' is of type " + tensor.type + ", not one this server serves "
                            + java.util.Arrays.toString(Datatype.values())));
            specs.add(new TensorSpec(node.getName(), datatype, tensor.getShape()));
        }
        return List.copyOf(specs);
    }

    String name() {
        return file.name();
    }

    long version() {
        return file.version();
    }

    ModelFile file() {
        return file;
    }

    List<TensorSpec> inputs() {
        return inputs;
    }

    List<TensorSpec> outputs() {
        return outputs;
    }

    /** The caller now holds the session until {@link #release()}; false once the session is closed. */
    boolean tryAcquire() {
        int current;
        do {
            current = holders.get();
            if (current == 0) {
                return false;
            }
        } while (!holders.compareAndSet(current, current + 1));
        return true;
    }

    void release() {
        if (holders.decrementAndGet() == 0) {
            try {
                session.close();
                LOG.info("Closed model {} version {}", name(), version());
            } catch (OrtException e) {
                LOG.warn("Closing model {} version {}: {}", name(), version(), e.getMessage());
            }
        }
    }

    /** No longer served: closes the session now, or when the requests running on it are done. */
    void retire() {
        release();
    }

    /** Runs the model; the caller holds it and closes the result. */
    OrtSession.Result run(Map<String, OnnxTensor> inputs, Set<String> outputs) throws OrtException {
        return session.run(inputs, outputs);
    }
}
