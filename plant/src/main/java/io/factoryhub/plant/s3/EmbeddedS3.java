package io.factoryhub.plant.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3 API server in this JVM: s3proxy over jclouds' filesystem store, so objects are plain files under
 * {@code storeDir/<bucket>/<key>} and survive a restart. Requests must be signed (AWS v2 or v4) with the given
 * credentials; the bucket is created on start when missing.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);

    private final Path storeDir;
    private final int port;
    private final String bucket;
    private final String accessKey;
    private final String secretKey;
    private BlobStoreContext store;
    private S3Proxy proxy;

    public EmbeddedS3(Path storeDir, int port, String bucket, String accessKey, String secretKey) {
        this.storeDir = storeDir;
        this.port = port;
        this.bucket = bucket;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts serving on 127.0.0.1:port and blocks until it accepts requests. */
    public synchronized EmbeddedS3 start() throws Exception {
        Files.createDirectories(storeDir);
        Properties overrides = new Properties();
        overrides.setProperty("jclouds.filesystem.basedir", storeDir.toAbsolutePath().toString());
        store = ContextBuilder.newBuilder("filesystem").overrides(overrides).buildView(BlobStoreContext.class);
        BlobStore blobs = store.getBlobStore();
        if (!blobs.containerExists(bucket)) {
            blobs.createContainerInLocation(null, bucket);
        }
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                // current AWS CLIs and SDKs ask for checksums (x-amz-checksum-mode) that s3proxy does not implement:
                // serve the request without them instead of failing it with 501
                .ignoreUnknownHeaders(true).build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                if ("FAILED".equals(proxy.getState())) {
                    throw new IllegalStateException("s3proxy failed to start on port " + port);
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            close();
            throw e;
        }
        LOG.info("Embedded S3 on {}, bucket '{}', objects in {}", endpoint(), bucket, storeDir);
        return this;
    }

    public String endpoint() {
        return "http://localhost:" + port;
    }

    public int port() {
        return port;
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public synchronized void close() {
        try {
            if (proxy != null) {
                proxy.stop();
            }
        } catch (Exception e) {
            LOG.warn("Stopping s3proxy failed: {}", e.toString());
        } finally {
            proxy = null;
            if (store != null) {
                store.close();
                store = null;
            }
        }
    }
}
