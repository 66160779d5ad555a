package io.factoryhub.hub.lake;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.aws2.s3.AWS2S3Component;
import org.apache.camel.component.aws2.s3.AWS2S3Configuration;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Endpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lake's bucket through Camel's {@code aws2-s3} component. The endpoint starts from the component's own
 * configuration, so {@code camel.component.aws2-s3.*} properties apply as for any route, and takes bucket, endpoint,
 * region, path style and credentials from {@link S3Settings} through typed setters: no URI is assembled from
 * strings, and the credentials never appear in an endpoint URI (where Camel would show them in its registry).
 */
public final class LakeBucket implements AutoCloseable {

    static {
        // s3proxy, MinIO and older S3-compatible stores reject the SDK's default CRC checksums (400): ask for them
        // only where the operation requires one. Set before the first SDK client is built; an explicit -D wins.
        setIfAbsent("aws.requestChecksumCalculation", "when_required");
        setIfAbsent("aws.responseChecksumValidation", "when_required");
    }

    private final CamelContext context;
    private final AWS2S3Endpoint endpoint;
    private final Producer producer;
    private final String bucket;

    private LakeBucket(CamelContext context, AWS2S3Endpoint endpoint, Producer producer, String bucket) {
        this.context = context;
        this.endpoint = endpoint;
        this.producer = producer;
        this.bucket = bucket;
    }

    public static LakeBucket open(CamelContext context, S3Settings s3, String bucket) throws Exception {
        AWS2S3Component component = context.getComponent("aws2-s3", AWS2S3Component.class);
        AWS2S3Configuration configuration = component.getConfiguration().copy();
        configuration.setBucketName(bucket);
        configuration.setRegion(s3.region());
        configuration.setForcePathStyle(s3.pathStyle());
        configuration.setAutoCreateBucket(false);
        if (!s3.endpoint().isBlank()) {
            configuration.setOverrideEndpoint(true);
            configuration.setUriEndpointOverride(s3.endpoint());
        }
        if (s3.hasCredentials()) {
            configuration.setAccessKey(s3.accessKey());
            configuration.setSecretKey(s3.secretKey());
        } else if (configuration.getAccessKey() == null) {
            configuration.setUseDefaultCredentialsProvider(true);
        }
        AWS2S3Endpoint endpoint = new AWS2S3Endpoint("aws2-s3://" + bucket, component, configuration);
        endpoint.setCamelContext(context);
        ServiceHelper.startService(endpoint);
        Producer producer = endpoint.createProducer();
        ServiceHelper.startService(producer);
        return new LakeBucket(context, endpoint, producer, bucket);
    }

    /** PutObject through the Camel producer; throws what S3 (or the connection) said. */
    public void put(String key, byte[] object) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setHeader(AWS2S3Constants.KEY, key);
        exchange.getIn().setHeader(AWS2S3Constants.CONTENT_LENGTH, (long) object.length);
        exchange.getIn().setHeader(AWS2S3Constants.CONTENT_TYPE, "application/gzip");
        exchange.getIn().setBody(object);
        producer.process(exchange);
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
    }

    /** Every key under {@code prefix}, all pages. */
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        endpoint.getS3Client().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
                .contents().stream().map(S3Object::key).forEach(keys::add);
        return keys;
    }

    public byte[] get(String key) {
        ResponseBytes<GetObjectResponse> bytes = endpoint.getS3Client()
                .getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build());
        return bytes.asByteArray();
    }

    public String name() {
        return bucket;
    }

    @Override
    public void close() {
        ServiceHelper.stopService(producer, endpoint);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
